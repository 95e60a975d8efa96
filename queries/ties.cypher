// @title Ties of an actor
// @description Every relation between an actor and others, cooperative and hostile, as a graph (kg's Browser style colours them by stance).
// @param country: string = "Russia"
// @param min_evidence: integer = 1
// @param limit: integer = 50
// The relations by type: an untyped pattern would also walk the actor's links to its evidence.
MATCH (a:Actor)
WHERE toLower($country) IN coalesce(a.search, [toLower(a.name)])
MATCH path = (a)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF|NEGOTIATES_WITH|INVADED|OCCUPIES|AT_WAR_WITH|THREATENS|ADVERSARY_OF|SANCTIONS|MILITARY_PRESENCE|LEADER_OF]-(b:Actor)
WHERE r.evidenceCount >= $min_evidence
RETURN path, type(r) AS relation, r.stance AS stance, r.evidenceCount AS evidence
ORDER BY evidence DESC, relation, b.name
LIMIT $limit
