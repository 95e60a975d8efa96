// @title Enemy of my enemy
// @description Candidate partners of an actor: actors hostile to one of its enemies but not hostile to it (country "" lists every such pair, slowly on a large graph).
// @param country: string = "Russia"
// @param min_evidence: integer = 1
// @param limit: integer = 50
MATCH (a:Actor)
WHERE $country = '' OR toLower($country) IN coalesce(a.search, [toLower(a.name)])
MATCH (a)-[h1:INVADED|OCCUPIES|AT_WAR_WITH|THREATENS|ADVERSARY_OF|SANCTIONS]-(enemy:Actor)
WHERE h1.evidenceCount >= $min_evidence
WITH a, enemy, sum(h1.evidenceCount) AS e1
MATCH (enemy)-[h2:INVADED|OCCUPIES|AT_WAR_WITH|THREATENS|ADVERSARY_OF|SANCTIONS]-(b:Actor)
WHERE b <> a AND h2.evidenceCount >= $min_evidence AND ($country <> '' OR a.name < b.name)
WITH a, enemy, e1, b, sum(h2.evidenceCount) AS e2
WITH a, b, collect(enemy.name) AS commonEnemies, sum(e1 + e2) AS evidence
WHERE NOT EXISTS { (a)-[:INVADED|OCCUPIES|AT_WAR_WITH|THREATENS|ADVERSARY_OF|SANCTIONS]-(b) }
WITH a, b, commonEnemies, evidence
ORDER BY size(commonEnemies) DESC, evidence DESC, a.name, b.name
LIMIT $limit
RETURN a.name AS actor,
       b.name AS candidate,
       commonEnemies AS common_enemies,
       evidence,
       EXISTS { (a)-[:MUTUAL_DEFENSE|ALLIED_WITH|SIGNED_AGREEMENT|SUPPORTS|MILITARY_AID|MEMBER_OF]-(b) } AS already_aligned
