// @title Treaties of an actor
// @description An actor's agreements (treaties, pacts, accords): kind, obligations, every party with its status, since and until, evidence and the sentence behind the actor's status; as_of (an ISO date, "" for now) keeps those that bound the actor on that date.
// @param country: string = "Russia"
// @param as_of: date = ""
// @param limit: integer = 50
// A party link counts as of a date D when the party was bound at some time (bound now, or until
// is set), its since (else the first document's date) is on or before D and its until is not
// before D. With as_of "" every agreement of the actor is listed, each party with its status now.
MATCH (x:Actor)
WHERE toLower($country) IN coalesce(x.search, [toLower(x.name)])
MATCH (x)-[mine:PARTY_TO]->(a:Agreement)
WHERE $as_of = ''
   OR ((mine.bound OR mine.until IS NOT NULL)
       AND left(coalesce(mine.since, mine.firstSeen), size($as_of)) <= $as_of
       AND NOT coalesce(left(mine.until, size($as_of)) < $as_of, false))
MATCH (p:Actor)-[r:PARTY_TO]->(a)
WHERE $as_of = ''
   OR ((r.bound OR r.until IS NOT NULL)
       AND left(coalesce(r.since, r.firstSeen), size($as_of)) <= $as_of
       AND NOT coalesce(left(r.until, size($as_of)) < $as_of, false))
WITH x, a, mine, p, r ORDER BY p.name
WITH x, a, mine,
     collect(p.name + ' (' + r.status + coalesce(', since ' + r.since, '') + coalesce(', until ' + r.until, '')
             + ')') AS parties
RETURN x.name AS actor,
       a.name AS agreement,
       a.kind AS kind,
       a.obligations AS obligations,
       mine.status AS status,
       mine.since AS since,
       mine.until AS until,
       parties,
       COUNT { (:AgreementEvent)-[:ABOUT]->(a) } AS evidence,
       // the sentence of the actor's latest event of the status it has
       COLLECT { MATCH (x)<-[:PARTY]-(e:AgreementEvent)-[:ABOUT]->(a) RETURN e.sentence
                 ORDER BY e.status = mine.status DESC, coalesce(e.date, left(e.seen, 10)) DESC, e.seen DESC,
                          e.start DESC LIMIT 1 }[0] AS sentence
ORDER BY mine.bound DESC, evidence DESC, agreement
LIMIT $limit
