// @title Blocs
// @description Camps of states, organisations and blocs: actors tied by alignment (defence pacts, alliances, membership, agreements, support, arms) and not hostile to each other, each named by its most central member, with the ties inside it.
// @param min_evidence: integer = 1
// @param min_size: integer = 2
// @param limit: integer = 50
// An alignment tie is a cooperative relation (negotiations excluded) between two such actors with
// no hostile relation between them; an actor's rank is its number of aligned partners, then the
// evidence of its ties, then its name. Each actor follows its best-ranked partner when that one
// outranks it, so following partners leads every actor to a hub no partner outranks: the bloc's
// name. A member hostile to a more central member of its bloc is left out of it. Pure Cypher, no
// plugin. Each actor's relationships are read once; Cypher has no map keyed by node, so ranks reach
// partners and enemies by grouping rows on the node, never by searching lists (which cost the
// square of the number of actors).
MATCH (a:Actor)
WHERE (a:Country OR a:Organization OR a:Bloc)
  AND EXISTS { (a)-[:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-() }
CALL (a) {
  MATCH (a)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF|INVADED|OCCUPIES|AT_WAR_WITH|THREATENS|ADVERSARY_OF|SANCTIONS]-(b:Actor)
  WHERE r.evidenceCount >= $min_evidence
  WITH b, sum(r.evidenceCount) AS w,
       sum(CASE WHEN type(r) IN ['INVADED', 'OCCUPIES', 'AT_WAR_WITH', 'THREATENS', 'ADVERSARY_OF', 'SANCTIONS']
                THEN 1 ELSE 0 END) AS hostile
  WITH b, w, hostile, hostile = 0 AND (b:Country OR b:Organization OR b:Bloc) AS aligned
  RETURN collect(CASE WHEN aligned THEN b END) AS partners, sum(CASE WHEN aligned THEN w ELSE 0 END) AS weight,
         collect(CASE WHEN hostile > 0 THEN b END) AS enemies
}
WITH a, partners, enemies, size(partners) AS ties, weight WHERE ties > 0
ORDER BY ties DESC, weight DESC, a.name
WITH collect({actor: a, partners: partners, enemies: enemies}) AS ranked
CALL (ranked) {
  UNWIND range(0, size(ranked) - 1) AS i
  UNWIND [{x: ranked[i].actor, own: i}] + [p IN ranked[i].partners | {x: p}] AS row
  WITH row.x AS x, min(i) AS parent, max(row.own) AS own
  ORDER BY own
  RETURN collect(parent) AS up
}
WITH ranked, reduce(u = up, pass IN range(0, toInteger(ceil(log(size(up) + 1) / log(2)))) |
                    [k IN range(0, size(u) - 1) | u[u[k]]]) AS hubs
CALL (ranked, hubs) {
  UNWIND range(0, size(ranked) - 1) AS j
  UNWIND [{x: ranked[j].actor, own: j}] + [e IN ranked[j].enemies | {x: e, enemy: j}] AS row
  WITH row.x AS x, max(row.own) AS k, collect(row.enemy) AS enemies
  WHERE k IS NOT NULL AND none(j IN enemies WHERE j < k AND hubs[j] = hubs[k])
  RETURN ranked[hubs[k]].actor AS hub, k, x
}
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
