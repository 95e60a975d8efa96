// @title New since
// @description Relations first seen (new) or seen again (updated) on or after a date, by document date (published, else ingested: first_seen_kind and last_seen_kind say which).
// @param since: date = "2024-01-01"
// @param limit: integer = 50
// One branch per relation type, each read newest first from its index on lastSeen and stopped at
// $limit (a relationship index has one type), so the cost follows $limit, not the graph's size.
CALL () {
  MATCH (s:Actor)-[r:ADVERSARY_OF]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:ALLIED_WITH]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:AT_WAR_WITH]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:INVADED]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:LEADER_OF]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:MEMBER_OF]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:MILITARY_AID]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:MILITARY_PRESENCE]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:MUTUAL_DEFENSE]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:NEGOTIATES_WITH]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:OCCUPIES]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:SANCTIONS]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:SIGNED_AGREEMENT]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:SUPPORTS]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
  UNION ALL
  MATCH (s:Actor)-[r:THREATENS]->(o:Actor) WHERE r.lastSeen >= $since
  RETURN s, r, o ORDER BY r.lastSeen DESC, r.evidenceCount DESC, s.name, o.name LIMIT $limit
}
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
