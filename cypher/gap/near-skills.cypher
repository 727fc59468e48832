// For required skills, the skills one step away that earn partial credit when held instead:
// narrower (children), broader (parents) and ESCO-related skills.
// params: $skillUris: list of required skill uris
// returns: required, held (the nearby skill's uri), heldLabel, kind (narrower|broader|related)
UNWIND $skillUris AS uri
MATCH (req:Skill {uri: uri})
CALL (req) {
  MATCH (h:Skill)-[:BROADER]->(req) RETURN h, 'narrower' AS kind
  UNION
  MATCH (req)-[:BROADER]->(h:Skill) RETURN h, 'broader' AS kind
  UNION
  MATCH (req)-[:RELATED_SKILL]-(h:Skill) RETURN h, 'related' AS kind
}
RETURN req.uri AS required, h.uri AS held, h.preferredLabel AS heldLabel, kind
