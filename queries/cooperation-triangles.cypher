// @title Triangles of cooperation
// @description Three actors each pair of which is tied by cooperative relations (negotiations excluded), strongest first; actor "" lists every triangle.
// @param actor: string = ""
// @param min_evidence: integer = 1
// @param limit: integer = 25
MATCH (a:Actor)-[r1:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-(b:Actor)
WHERE elementId(a) < elementId(b) AND r1.evidenceCount >= $min_evidence
WITH a, b, sum(r1.evidenceCount) AS ab
MATCH (b)-[r2:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-(c:Actor)
WHERE elementId(b) < elementId(c) AND r2.evidenceCount >= $min_evidence
WITH a, b, c, ab, sum(r2.evidenceCount) AS bc
MATCH (c)-[r3:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-(a)
WHERE r3.evidenceCount >= $min_evidence
WITH a, b, c, ab, bc, sum(r3.evidenceCount) AS ca
WHERE $actor = ''
   OR any(x IN [a, b, c] WHERE toLower($actor) IN coalesce(x.search, [toLower(x.name)]))
WITH COLLECT { UNWIND [a, b, c] AS x RETURN x.name ORDER BY x.name } AS names, ab + bc + ca AS evidence,
     reduce(m = ab, x IN [bc, ca] | CASE WHEN x < m THEN x ELSE m END) AS weakest
RETURN names[0] AS first, names[1] AS second, names[2] AS third, evidence, weakest AS weakest_tie
ORDER BY weakest_tie DESC, evidence DESC, first, second, third
LIMIT $limit
