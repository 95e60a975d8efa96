// @title Blocs
// @description Groups of states, organisations and blocs held together by alignment (defence pacts, alliances, membership, agreements, support, arms): connected components, largest first, members by number of cooperative relations.
// @param min_evidence: integer = 1
// @param min_size: integer = 2
// @param limit: integer = 50
// Connected components without plugins: a breadth-first search (pruning var-length expand, up to
// 10 hops) from one start per component. Starts are the actors none of whose aligned neighbours has
// more such relations (ties broken by element id): every component has at least one, few have more.
MATCH (a:Actor)
WHERE a:Country OR a:Organization OR a:Bloc
WITH a, COUNT { (a)-[:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-() } AS degree
WHERE degree > 0
  AND EXISTS { (a)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-(b:Actor)
               WHERE r.evidenceCount >= $min_evidence AND (b:Country OR b:Organization OR b:Bloc) }
  AND NOT EXISTS {
    MATCH (a)-[r:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-(b:Actor)
    WHERE r.evidenceCount >= $min_evidence AND (b:Country OR b:Organization OR b:Bloc)
    WITH a, b, COUNT { (b)-[:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-() } AS other
    WHERE other > degree OR (other = degree AND elementId(b) > elementId(a))
  }
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
WITH component, member, COUNT { (member)-[:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-() } AS degree
ORDER BY degree DESC, member.name
WITH component, collect(member.name) AS members
RETURN members[0] AS hub, size(members) AS size, members[..50] AS members
ORDER BY size DESC, hub
LIMIT $limit
