// @title Supporters
// @description Actors that back an actor politically, economically or militarily (supports, military aid), strongest first.
// @param country: string = "Russia"
// @param min_evidence: integer = 1
// @param limit: integer = 50
MATCH (a:Actor)
WHERE toLower($country) IN coalesce(a.search, [toLower(a.name)])
MATCH (b:Actor)-[r:SUPPORTS|MILITARY_AID]->(a)
WHERE r.evidenceCount >= $min_evidence
WITH a, b, collect(type(r)) AS support, sum(r.evidenceCount) AS evidence,
     max(r.confidence) AS confidence, max(r.lastSeen) AS lastSeen,
     collect([r.lastSeen, r.lastSeenKind]) AS seen
RETURN a.name AS actor,
       b.name AS supporter,
       [l IN labels(b) WHERE l <> 'Actor'][0] AS kind,
       support,
       evidence,
       round(confidence, 2) AS confidence,
       lastSeen AS last_seen,
       [dated IN seen WHERE dated[0] = lastSeen | dated[1]][0] AS last_seen_kind
ORDER BY evidence DESC, supporter
LIMIT $limit
