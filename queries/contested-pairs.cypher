// @title Contested pairs
// @description Pairs of actors tied by both cooperative and hostile relations at once (e.g. fighting while negotiating).
// @param min_evidence: integer = 1
// @param limit: integer = 25
MATCH (a:Actor)-[c:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF|NEGOTIATES_WITH]-(b:Actor)
WHERE elementId(a) < elementId(b) AND c.evidenceCount >= $min_evidence
WITH a, b, collect(type(c)) AS cooperative, sum(c.evidenceCount) AS cooperativeEvidence
MATCH (a)-[h:INVADED|OCCUPIES|AT_WAR_WITH|THREATENS|ADVERSARY_OF|SANCTIONS]-(b)
WHERE h.evidenceCount >= $min_evidence
WITH a, b, cooperative, cooperativeEvidence, collect(type(h)) AS hostile, sum(h.evidenceCount) AS hostileEvidence
WITH CASE WHEN a.name <= b.name THEN [a.name, b.name] ELSE [b.name, a.name] END AS pair,
     cooperative, hostile, cooperativeEvidence, hostileEvidence
RETURN pair[0] AS actor, pair[1] AS other, cooperative, hostile,
       cooperativeEvidence AS cooperative_evidence, hostileEvidence AS hostile_evidence
ORDER BY cooperative_evidence + hostile_evidence DESC, actor, other
LIMIT $limit
