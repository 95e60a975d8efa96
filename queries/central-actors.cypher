// @title Most central actors
// @description Actors with the most cooperative ties: distinct partners, then relations and evidence.
// @param min_evidence: integer = 1
// @param limit: integer = 50
MATCH (a:Actor)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF|NEGOTIATES_WITH]-(b:Actor)
WHERE NOT a:Person AND r.evidenceCount >= $min_evidence
WITH a, count(DISTINCT b) AS partners, count(r) AS relations, sum(r.evidenceCount) AS evidence
RETURN a.name AS actor,
       [l IN labels(a) WHERE l <> 'Actor'][0] AS kind,
       partners,
       relations,
       evidence
ORDER BY partners DESC, relations DESC, evidence DESC, actor
LIMIT $limit
