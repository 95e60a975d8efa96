// @title New since
// @description Relations first seen (new) or seen again (updated) on or after a date, by document date (published, else ingested: first_seen_kind and last_seen_kind say which).
// @param since: date = "2024-01-01"
// @param limit: integer = 50
MATCH (s:Actor)-[r]->(o:Actor)
WHERE r.lastSeen >= $since
RETURN s.name AS subject,
       type(r) AS relation,
       o.name AS object,
       CASE WHEN r.firstSeen >= $since THEN 'new' ELSE 'updated' END AS status,
       r.stance AS stance,
       r.evidenceCount AS evidence,
       r.firstSeen AS first_seen,
       r.firstSeenKind AS first_seen_kind,
       r.lastSeen AS last_seen,
       r.lastSeenKind AS last_seen_kind
ORDER BY last_seen DESC, evidence DESC, subject, relation, object
LIMIT $limit
