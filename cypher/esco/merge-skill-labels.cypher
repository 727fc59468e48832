// One (:SkillLabel) node per distinct label of each skill and language, linked to its skill:
// what text spans are matched against when extracting skills.
// params: none
// returns: nothing (runs in batches)
MATCH (s:Skill)
CALL (s) {
  WITH s, [t IN [s.preferredLabel] + coalesce(s.altLabels, []) WHERE t IS NOT NULL | {text: t, lang: 'en', preferred: t = s.preferredLabel}] +
          [t IN [s.preferredLabelFr] + coalesce(s.altLabelsFr, []) WHERE t IS NOT NULL | {text: t, lang: 'fr', preferred: t = s.preferredLabelFr}] AS labels
  UNWIND labels AS label
  MERGE (l:SkillLabel {key: s.uri + '|' + label.lang + '|' + label.text})
  ON CREATE SET l.text = label.text, l.lang = label.lang, l.preferred = label.preferred
  MERGE (l)-[:LABEL_OF]->(s)
} IN TRANSACTIONS OF 500 ROWS
