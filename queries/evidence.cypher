// @title Evidence between two actors
// @description The sentences and documents behind every relation between two actors, newest first, dated by publication (else ingestion, as date_kind says); include_claims adds non-asserted claims (hypothetical, negated, desired ...).
// @param country: string = "Russia"
// @param other: string = "North Korea"
// @param include_claims: boolean = false
// @param limit: integer = 50
MATCH (x:Actor) WHERE toLower($country) IN coalesce(x.search, [toLower(x.name)])
MATCH (y:Actor) WHERE toLower($other) IN coalesce(y.search, [toLower(y.name)]) AND y <> x
CALL (x, y) {
  MATCH (e:Evidence) WHERE e.subject = x.uri AND e.object = y.uri AND e.relation IS NOT NULL RETURN e
  UNION
  MATCH (e:Evidence) WHERE e.subject = y.uri AND e.object = x.uri AND e.relation IS NOT NULL RETURN e
  UNION
  MATCH (e:Claim) WHERE $include_claims AND e.subject = x.uri AND e.object = y.uri RETURN e
  UNION
  MATCH (e:Claim) WHERE $include_claims AND e.subject = y.uri AND e.object = x.uri RETURN e
}
MATCH (e)-[:FROM]->(d:Document)
WITH x, y, e, d ORDER BY coalesce(d.published, d.ingestedAt) DESC, d.uri, e.start, e.relation LIMIT $limit
RETURN CASE e.subject WHEN x.uri THEN x.name ELSE y.name END AS subject,
       // the Neo4j type (MUTUAL_DEFENSE), as every other query and Browser show it, from the
       // vocabulary's local name the evidence keeps (mutualDefense)
       reduce(t = '', c IN split(e.relation, '') |
              t + CASE WHEN c <> toLower(c) THEN '_' + c ELSE toUpper(c) END) AS relation,
       CASE e.object WHEN x.uri THEN x.name ELSE y.name END AS object,
       coalesce(e.modality, 'asserted') AS modality,
       e.sentence AS sentence,
       coalesce(d.title, d.uri) AS document,
       coalesce(d.published, d.ingestedAt) AS date,
       CASE WHEN d.published IS NOT NULL THEN 'published' WHEN d.ingestedAt IS NOT NULL THEN 'ingested' END
         AS date_kind,
       e.rule AS rule,
       round(e.confidence, 2) AS confidence
