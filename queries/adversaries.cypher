// @title Adversaries
// @description Actors in hostile relations with an actor (invasion, occupation, war, threats, rivalry, sanctions), strongest first.
// @param country: string = "Russia"
// @param min_evidence: integer = 1
// @param limit: integer = 50
MATCH (a:Actor)
WHERE toLower($country) IN coalesce(a.search, [toLower(a.name)])
MATCH (a)-[r:INVADED|OCCUPIES|AT_WAR_WITH|THREATENS|ADVERSARY_OF|SANCTIONS]-(b:Actor)
WHERE r.evidenceCount >= $min_evidence
WITH a, b, r,
     CASE WHEN r.symmetric THEN type(r)
          WHEN startNode(r) = a THEN type(r) + ' →'
          ELSE '← ' + type(r) END AS relation
ORDER BY r.evidenceCount DESC, relation
WITH a, b, collect(relation) AS relations, sum(r.evidenceCount) AS evidence,
     max(r.confidence) AS confidence, max(r.lastSeen) AS lastSeen,
     collect([r.lastSeen, r.lastSeenKind]) AS seen
RETURN a.name AS actor,
       b.name AS adversary,
       [l IN labels(b) WHERE l <> 'Actor'][0] AS kind,
       relations,
       evidence,
       round(confidence, 2) AS confidence,
       lastSeen AS last_seen,
       [dated IN seen WHERE dated[0] = lastSeen | dated[1]][0] AS last_seen_kind
ORDER BY evidence DESC, size(relations) DESC, adversary
LIMIT $limit
