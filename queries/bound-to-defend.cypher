// @title Bound to defend
// @description Who is bound to defend an actor and by which agreement: the other parties of its agreements with a defence obligation, both bound (as_of: on that date, "" for now); then mutual-defence ties that no such agreement explains.
// @param country: string = "Russia"
// @param as_of: date = ""
// @param limit: integer = 50
// A party link counts as of a date D as in the `treaties` query; a MUTUAL_DEFENSE tie counts when
// it was first seen on or before D.
MATCH (x:Actor)
WHERE toLower($country) IN coalesce(x.search, [toLower(x.name)])
OPTIONAL MATCH (x)-[mine:PARTY_TO]->(a:Agreement)<-[theirs:PARTY_TO]-(y:Actor)
WHERE y <> x AND 'defence' IN a.obligations
  AND all(r IN [mine, theirs] WHERE
          CASE WHEN $as_of = '' THEN r.bound
               ELSE (r.bound OR r.until IS NOT NULL)
                    AND left(coalesce(r.since, r.firstSeen), size($as_of)) <= $as_of
                    AND NOT coalesce(left(r.until, size($as_of)) < $as_of, false) END)
WITH x, collect(CASE WHEN y IS NOT NULL THEN {
       defender: y.name, agreement: a.name, kind: a.kind, status: theirs.status, since: theirs.since,
       until: theirs.until, basis: 'agreement', evidence: theirs.evidenceCount, rank: 0,
       sentence: COLLECT { MATCH (y)<-[:PARTY]-(e:AgreementEvent)-[:ABOUT]->(a) RETURN e.sentence
                           ORDER BY e.status = theirs.status DESC, coalesce(e.date, left(e.seen, 10)) DESC,
                                    e.seen DESC, e.start DESC LIMIT 1 }[0]
       } END) AS pacts
OPTIONAL MATCH (x)-[t:MUTUAL_DEFENSE]-(z:Actor)
WHERE NOT z.name IN [p IN pacts | p.defender]
  AND ($as_of = '' OR left(t.firstSeen, size($as_of)) <= $as_of)
WITH x, pacts, collect(CASE WHEN z IS NOT NULL THEN {
       defender: z.name, agreement: null, kind: null, status: null, since: null, until: null,
       basis: 'MUTUAL_DEFENSE', evidence: t.evidenceCount, rank: 1, sentence: null} END) AS ties
UNWIND pacts + ties AS row
RETURN x.name AS actor,
       row.defender AS defender,
       row.agreement AS agreement,
       row.kind AS kind,
       row.status AS status,
       row.since AS since,
       row.until AS until,
       row.basis AS basis,
       row.evidence AS evidence,
       row.sentence AS sentence
ORDER BY row.rank, row.evidence DESC, defender, agreement
LIMIT $limit
