// @title Mutual-defence network
// @description Every mutual-defence commitment between actors, as a graph of paths (strongest first).
// @param min_evidence: integer = 1
// @param max_paths: integer = 200
MATCH path = (a:Actor)-[r:MUTUAL_DEFENSE]->(b:Actor)
WHERE r.evidenceCount >= $min_evidence
RETURN path, r.evidenceCount AS evidence
ORDER BY evidence DESC, a.name, b.name
LIMIT $max_paths
