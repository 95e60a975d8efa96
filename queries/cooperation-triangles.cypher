// @title Triangles of cooperation
// @description Three actors each pair of which is tied by a mutual cooperative relation (defence pact, alliance, signed agreement) backed by at least min_tie_evidence reports; strongest weakest tie first; actor "" lists all.
// @param actor: string = ""
// @param min_tie_evidence: integer = 2
// @param limit: integer = 50
// Each triangle is found once, from its member with the fewest such relations (ties broken by
// element id): pairs of that member's higher-ranked partners are checked for a tie between them.
MATCH (a:Actor)
WITH a, COUNT { (a)-[:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT]-() } AS da
WHERE da > 1
MATCH (a)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT]-(b:Actor)
WHERE r.evidenceCount >= $min_tie_evidence
WITH a, da, b, sum(r.evidenceCount) AS w
WITH a, da, b, w, COUNT { (b)-[:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT]-() } AS db
WHERE db > da OR (db = da AND elementId(b) > elementId(a))
WITH a, collect({node: b, w: w}) AS higher
WHERE size(higher) > 1
UNWIND higher AS x
UNWIND higher AS y
WITH a, x, y WHERE elementId(x.node) < elementId(y.node)
WITH a, x.node AS b, y.node AS c, x.w AS ab, y.w AS ca
MATCH (b)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT]-(c)
WHERE r.evidenceCount >= $min_tie_evidence
WITH a, b, c, ab, ca, sum(r.evidenceCount) AS bc
WHERE $actor = ''
   OR any(n IN [a, b, c] WHERE toLower($actor) IN coalesce(n.search, [toLower(n.name)]))
WITH a, b, c, ab + bc + ca AS evidence,
     CASE WHEN ab <= bc AND ab <= ca THEN ab WHEN bc <= ca THEN bc ELSE ca END AS weakest
ORDER BY weakest DESC, evidence DESC, a.name, b.name, c.name
LIMIT $limit
WITH COLLECT { UNWIND [a, b, c] AS n RETURN n.name ORDER BY n.name } AS names, evidence, weakest
RETURN names[0] AS first, names[1] AS second, names[2] AS third, evidence, weakest AS weakest_tie
