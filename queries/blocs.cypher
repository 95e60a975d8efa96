// @title Blocs
// @description Camps of states, organisations and blocs: actors tied by alignment (defence pacts, alliances, membership, agreements, support, arms) and not hostile to each other, each named by its most central member, with the ties inside it.
// @param min_evidence: integer = 1
// @param min_size: integer = 2
// @param limit: integer = 50
// An alignment tie is a cooperative relation (negotiations excluded) between two such actors with
// no hostile relation between them; an actor's centrality is its number of aligned partners, then
// the evidence of its ties. Each actor follows its most central partner when that one outranks it,
// so following partners leads every actor to a hub no partner outranks: the bloc's name. A member
// hostile to a more central member of its bloc is left out of it. Pure Cypher, no plugin.
MATCH (a:Actor)
WHERE (a:Country OR a:Organization OR a:Bloc)
  AND EXISTS { (a)-[:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-() }
WITH a, COLLECT { MATCH (a)-[h:INVADED|OCCUPIES|AT_WAR_WITH|THREATENS|ADVERSARY_OF|SANCTIONS]-(e:Actor)
                  WHERE h.evidenceCount >= $min_evidence RETURN DISTINCT e } AS enemies
CALL (a, enemies) {
  MATCH (a)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-(b:Actor)
  WHERE r.evidenceCount >= $min_evidence AND (b:Country OR b:Organization OR b:Bloc) AND NOT b IN enemies
  RETURN count(DISTINCT b) AS ties, sum(r.evidenceCount) AS weight, collect(DISTINCT b) AS partners
}
WITH a, ties, weight, partners WHERE ties > 0
WITH collect({actor: a, ties: ties, weight: weight, partners: partners}) AS aligned
WITH aligned, [x IN aligned | x.actor] AS actors
WITH aligned, actors, [x IN aligned |
       reduce(best = x, p IN [y IN aligned WHERE y.actor IN x.partners] |
              CASE WHEN p.ties > best.ties
                     OR (p.ties = best.ties AND (p.weight > best.weight
                         OR (p.weight = best.weight AND p.actor.name < best.actor.name)))
                   THEN p ELSE best END).actor] AS parents
WITH aligned, actors, [p IN parents | [i IN range(0, size(actors) - 1) WHERE actors[i] = p][0]] AS up
UNWIND range(0, size(actors) - 1) AS i
WITH actors[reduce(at = i, step IN range(1, 32) | up[at])] AS hub, aligned[i] AS m
ORDER BY m.ties DESC, m.weight DESC, m.actor.name
WITH hub, collect(m.actor) AS ranked
UNWIND range(0, size(ranked) - 1) AS k
WITH hub, ranked, k, ranked[k] AS x
WHERE NOT EXISTS { MATCH (x)-[h:INVADED|OCCUPIES|AT_WAR_WITH|THREATENS|ADVERSARY_OF|SANCTIONS]-(y)
                   WHERE y IN ranked[..k] AND h.evidenceCount >= $min_evidence }
WITH hub, k, x ORDER BY k
WITH hub, collect(x) AS members
WHERE size(members) >= $min_size
RETURN hub.name AS bloc,
       size(members) AS size,
       [m IN members | m.name][..50] AS members,
       COLLECT {
         UNWIND members AS x
         MATCH (x)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]->(y)
         WHERE y IN members AND r.evidenceCount >= $min_evidence
         WITH x, y, r ORDER BY r.evidenceCount DESC, x.name, y.name
         RETURN x.name + ' -[' + type(r) + CASE WHEN r.symmetric THEN ']- ' ELSE ']-> ' END + y.name
       }[..50] AS ties
ORDER BY size DESC, bloc
LIMIT $limit
