// @title Allies and partners
// @description Actors with cooperative ties to an actor (defence pacts, alliances, agreements, support, arms, membership, talks), strongest first; as_of (an ISO date, "" for now) keeps the ties first seen by then.
// @param country: string = "Russia"
// @param min_evidence: integer = 1
// @param limit: integer = 50
// @param as_of: date = ""
MATCH (a:Actor)
WHERE toLower($country) IN coalesce(a.search, [toLower(a.name)])
MATCH (a)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF|NEGOTIATES_WITH]-(b:Actor)
WHERE r.evidenceCount >= $min_evidence
  AND ($as_of = '' OR left(r.firstSeen, size($as_of)) <= $as_of)  // as_of: the ties first seen by then
WITH a, b, r,
     CASE WHEN r.symmetric THEN type(r)
          WHEN startNode(r) = a THEN type(r) + ' →'
          ELSE '← ' + type(r) END AS relation
ORDER BY r.evidenceCount DESC, relation
WITH a, b, collect(relation) AS relations, sum(r.evidenceCount) AS evidence,
     max(r.confidence) AS confidence, max(r.lastSeen) AS lastSeen,
     collect([r.lastSeen, r.lastSeenKind]) AS seen
RETURN a.name AS actor,
       b.name AS partner,
       [l IN labels(b) WHERE l <> 'Actor'][0] AS kind,
       relations,
       evidence,
       round(confidence, 2) AS confidence,
       lastSeen AS last_seen,
       [dated IN seen WHERE dated[0] = lastSeen | dated[1]][0] AS last_seen_kind
ORDER BY evidence DESC, size(relations) DESC, partner
LIMIT $limit
