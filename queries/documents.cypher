// @title Documents
// @description The documents of the graph (ingested texts and loaded RDF files), newest first, with their evidence and claims: text filters by IRI, title or source path, from_date and to_date by date (published, else ingested), "" for none.
// @param text: string = ""
// @param from_date: date = ""
// @param to_date: date = ""
// @param limit: integer = 50
// A date bound compares as text: to_date 2024-06-12 keeps 2024-06-12T09:30:00+00:00 (only as many
// characters as the bound has are compared).
MATCH (d:Document)
WITH d, coalesce(d.published, d.ingestedAt) AS date
WHERE ($text = '' OR any(x IN [d.uri, d.title, d.source] WHERE toLower(x) CONTAINS toLower($text)))
  AND ($from_date = '' OR date >= $from_date)
  AND ($to_date = '' OR left(date, size($to_date)) <= $to_date)
WITH d, date
ORDER BY date IS NULL, date DESC, d.uri
LIMIT $limit
RETURN d.uri AS iri,
       d.title AS title,
       d.source AS source,
       d.published AS published,
       d.ingestedAt AS ingested,
       COUNT { (e:Evidence)-[:FROM]->(d) } AS evidence,
       COUNT { (c:Claim)-[:FROM]->(d) } AS claims
