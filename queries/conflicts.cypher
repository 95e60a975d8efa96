// @title Conflicts and their sides
// @description Wars and invasions between actors, the invader first, with the supporters of each side (support, military aid, alliance, defence pact).
// @param min_evidence: integer = 1
// @param limit: integer = 50
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
RETURN s1.name + ' vs ' + s2.name AS conflict,
       relations,
       s1.name AS side_a,
       COLLECT {
         MATCH (s1)-[c:SUPPORTS|MILITARY_AID|ALLIED_WITH|MUTUAL_DEFENSE]-(p:Actor)
         WHERE p <> s2 AND (c.symmetric OR endNode(c) = s1) AND c.evidenceCount >= $min_evidence
         WITH p, sum(c.evidenceCount) AS support ORDER BY support DESC, p.name LIMIT 10
         RETURN p.name
       } AS side_a_supporters,
       s2.name AS side_b,
       COLLECT {
         MATCH (s2)-[c:SUPPORTS|MILITARY_AID|ALLIED_WITH|MUTUAL_DEFENSE]-(p:Actor)
         WHERE p <> s1 AND (c.symmetric OR endNode(c) = s2) AND c.evidenceCount >= $min_evidence
         WITH p, sum(c.evidenceCount) AS support ORDER BY support DESC, p.name LIMIT 10
         RETURN p.name
       } AS side_b_supporters,
       evidence,
       lastSeen AS last_seen,
       lastSeenKind AS last_seen_kind
