// @title Conflicts and their sides
// @description Wars and invasions between actors, the invader first, with the supporters of each side (support, military aid, alliance, defence pact).
// @param min_evidence: integer = 1
// @param limit: integer = 50
// The supporters of each side are read once per actor (one actor is a side of many conflicts):
// its eleven strongest, so that ten remain once the other side is left out.
MATCH (a:Actor)-[r:AT_WAR_WITH|INVADED]->(b:Actor)
WHERE r.evidenceCount >= $min_evidence
WITH CASE WHEN a.name <= b.name THEN a ELSE b END AS x,
     CASE WHEN a.name <= b.name THEN b ELSE a END AS y,
     r, CASE WHEN type(r) = 'INVADED' THEN a END AS invader
WITH x, y, collect(DISTINCT type(r)) AS relations, sum(r.evidenceCount) AS evidence,
     max(r.lastSeen) AS lastSeen, collect([r.lastSeen, r.lastSeenKind]) AS seen, collect(invader) AS invaders
WITH CASE WHEN y IN invaders AND NOT x IN invaders THEN [y, x] ELSE [x, y] END AS sides,
     relations, evidence, lastSeen, [dated IN seen WHERE dated[0] = lastSeen | dated[1]][0] AS lastSeenKind
WITH sides[0] AS s1, sides[1] AS s2, relations, evidence, lastSeen, lastSeenKind
ORDER BY evidence DESC, s1.name, s2.name
LIMIT $limit
WITH collect({s1: s1, s2: s2, relations: relations, evidence: evidence, lastSeen: lastSeen,
              lastSeenKind: lastSeenKind}) AS conflicts
CALL (conflicts) {
  UNWIND conflicts AS c
  UNWIND [c.s1, c.s2] AS side
  WITH DISTINCT side
  CALL (side) {
    MATCH (p:Actor)-[c:SUPPORTS|MILITARY_AID]->(side) WHERE c.evidenceCount >= $min_evidence
    RETURN p, c.evidenceCount AS n
    UNION ALL
    MATCH (side)-[c:ALLIED_WITH|MUTUAL_DEFENSE]-(p:Actor) WHERE c.evidenceCount >= $min_evidence
    RETURN p, c.evidenceCount AS n
  }
  WITH side, p, sum(n) AS support ORDER BY support DESC, p.name
  WITH side, collect(p)[..11] AS top
  RETURN collect({side: side, top: top}) AS backers
}
UNWIND conflicts AS c
WITH c, c.s1 AS s1, c.s2 AS s2, backers
RETURN s1.name + ' vs ' + s2.name AS conflict,
       c.relations AS relations,
       s1.name AS side_a,
       [p IN [b IN backers WHERE b.side = s1][0].top WHERE p <> s2 | p.name][..10] AS side_a_supporters,
       s2.name AS side_b,
       [p IN [b IN backers WHERE b.side = s2][0].top WHERE p <> s1 | p.name][..10] AS side_b_supporters,
       c.evidence AS evidence,
       c.lastSeen AS last_seen,
       c.lastSeenKind AS last_seen_kind
