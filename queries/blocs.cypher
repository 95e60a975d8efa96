// @title Blocs
// @description Groups of states, organisations and blocs held together by alignment (defence pacts, alliances, membership, agreements, support, arms): connected components, largest first, members by number of ties.
// @param min_evidence: integer = 1
// @param min_size: integer = 2
// @param limit: integer = 25
MATCH (a:Actor)
WHERE (a:Country OR a:Organization OR a:Bloc)
  AND EXISTS { (a)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-(:Actor)
               WHERE r.evidenceCount >= $min_evidence }
WITH a, COLLECT {
  MATCH p = (a)-[:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF*0..10]-(b:Actor)
  WHERE all(r IN relationships(p) WHERE r.evidenceCount >= $min_evidence)
    AND all(n IN nodes(p) WHERE n:Country OR n:Organization OR n:Bloc)
  WITH DISTINCT b
  RETURN b ORDER BY elementId(b)
} AS component
WITH DISTINCT component
WHERE size(component) >= $min_size
UNWIND component AS member
WITH component, member, COUNT {
  (member)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-(other:Actor)
  WHERE r.evidenceCount >= $min_evidence AND other IN component
} AS ties
ORDER BY ties DESC, member.name
WITH component, collect(member.name) AS members, sum(ties) / 2 AS ties
RETURN members[0] AS hub, size(members) AS size, ties, members
ORDER BY size DESC, ties DESC, hub
LIMIT $limit
