// @title Chain of alignment
// @description The shortest chain of cooperative ties (negotiations excluded) linking two actors, as a path.
// @param from: string = "North Korea"
// @param to: string = "Russia"
// @param min_evidence: integer = 1
MATCH (x:Actor) WHERE toLower($from) IN coalesce(x.search, [toLower(x.name)])
MATCH (y:Actor) WHERE toLower($to) IN coalesce(y.search, [toLower(y.name)])
MATCH chain = shortestPath((x)-[:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF*..6]-(y))
WHERE x <> y AND all(r IN relationships(chain) WHERE r.evidenceCount >= $min_evidence)
RETURN chain, length(chain) AS hops
