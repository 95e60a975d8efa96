// @title Who arms whom
// @description Military-aid flows (weapons, ammunition, troops, assistance) from supplier to recipient, with the documents that report them; actor "" means all.
// @param actor: string = ""
// @param min_evidence: integer = 1
// @param limit: integer = 50
MATCH (s:Actor)-[r:MILITARY_AID]->(o:Actor)
WHERE r.evidenceCount >= $min_evidence
  AND ($actor = '' OR toLower($actor) IN coalesce(s.search, [toLower(s.name)])
       OR toLower($actor) IN coalesce(o.search, [toLower(o.name)]))
WITH s, o, r
ORDER BY r.evidenceCount DESC, s.name, o.name
LIMIT $limit
WITH s, o, r, COLLECT {
  MATCH (d:Document) WHERE d.uri IN r.documents
  RETURN coalesce(d.title, d.uri) ORDER BY coalesce(d.published, d.ingestedAt) DESC LIMIT 5
} AS documents
RETURN s.name AS supplier,
       o.name AS recipient,
       r.evidenceCount AS evidence,
       round(r.confidence, 2) AS confidence,
       r.firstSeen AS first_seen,
       r.firstSeenKind AS first_seen_kind,
       r.lastSeen AS last_seen,
       r.lastSeenKind AS last_seen_kind,
       size(r.documents) AS document_count,
       documents
ORDER BY evidence DESC, supplier, recipient
