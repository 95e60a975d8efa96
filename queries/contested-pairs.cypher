// @title Contested pairs
// @description Pairs of actors tied by both cooperative and hostile relations at once (e.g. fighting while negotiating), most evidence first.
// @param min_evidence: integer = 1
// @param limit: integer = 25
MATCH (a:Actor)-[c:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF|NEGOTIATES_WITH]-(b:Actor)
WHERE elementId(a) < elementId(b) AND c.evidenceCount >= $min_evidence
WITH a, b, collect(c) AS cooperative, sum(c.evidenceCount) AS cooperativeEvidence
MATCH (a)-[h:INVADED|OCCUPIES|AT_WAR_WITH|THREATENS|ADVERSARY_OF|SANCTIONS]-(b)
WHERE h.evidenceCount >= $min_evidence
WITH a, b, cooperative, cooperativeEvidence, collect(h) AS hostile, sum(h.evidenceCount) AS hostileEvidence
ORDER BY cooperativeEvidence + hostileEvidence DESC, a.name, b.name
LIMIT $limit
WITH CASE WHEN a.name <= b.name THEN [a, b] ELSE [b, a] END AS pair,
     cooperative, hostile, cooperativeEvidence, hostileEvidence
WITH pair[0] AS a, pair[1] AS b, cooperative, hostile, cooperativeEvidence, hostileEvidence
RETURN a.name AS actor,
       b.name AS other,
       [r IN cooperative | CASE WHEN r.symmetric THEN type(r) WHEN startNode(r) = a THEN type(r) + ' →'
                                ELSE '← ' + type(r) END] AS cooperative,
       [r IN hostile | CASE WHEN r.symmetric THEN type(r) WHEN startNode(r) = a THEN type(r) + ' →'
                            ELSE '← ' + type(r) END] AS hostile,
       cooperativeEvidence AS cooperative_evidence,
       hostileEvidence AS hostile_evidence
