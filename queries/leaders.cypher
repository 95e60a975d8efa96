// @title Leaders
// @description People who lead a state or organisation (at the time of writing), with the evidence for it; actor "" lists all.
// @param actor: string = ""
// @param limit: integer = 50
MATCH (p:Person)-[r:LEADER_OF]->(s:Actor)
WHERE $actor = '' OR toLower($actor) IN coalesce(s.search, [toLower(s.name)])
   OR toLower($actor) IN coalesce(p.search, [toLower(p.name)])
RETURN p.name AS leader,
       s.name AS leads,
       [l IN labels(s) WHERE l <> 'Actor'][0] AS kind,
       r.evidenceCount AS evidence,
       r.lastSeen AS last_seen,
       r.lastSeenKind AS last_seen_kind
ORDER BY leads, evidence DESC, leader
LIMIT $limit
