// @title Contested pairs
// @description Pairs of actors tied by both cooperative and hostile relations at once (e.g. fighting while negotiating), most evidence first.
// @param min_evidence: integer = 1
// @param limit: integer = 50
// One pass over the relationships (each read once), grouped by unordered pair.
MATCH (a:Actor)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF|NEGOTIATES_WITH|INVADED|OCCUPIES|AT_WAR_WITH|THREATENS|ADVERSARY_OF|SANCTIONS]->(b:Actor)
WHERE r.evidenceCount >= $min_evidence
WITH CASE WHEN elementId(a) < elementId(b) THEN [a, b] ELSE [b, a] END AS pair, r
WITH pair, collect(r) AS rels
WITH pair, [x IN rels WHERE x.stance = 'cooperative'] AS cooperative, [x IN rels WHERE x.stance = 'hostile'] AS hostile
WHERE size(cooperative) > 0 AND size(hostile) > 0
WITH pair, cooperative, hostile,
     reduce(n = 0, x IN cooperative | n + x.evidenceCount) AS cooperativeEvidence,
     reduce(n = 0, x IN hostile | n + x.evidenceCount) AS hostileEvidence
ORDER BY cooperativeEvidence + hostileEvidence DESC, pair[0].name, pair[1].name
LIMIT $limit
WITH CASE WHEN pair[0].name <= pair[1].name THEN pair ELSE [pair[1], pair[0]] END AS pair,
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
