// One (:OccupationLabel) node per distinct label of each occupation and language (preferred and
// alternative, English and French), linked to its occupation: what job titles are matched against.
// params: none
// returns: nothing (runs in batches)
MATCH (o:Occupation)
CALL (o) {
  WITH o, [t IN [o.preferredLabel] + coalesce(o.altLabels, []) WHERE t IS NOT NULL | {text: t, lang: 'en', preferred: t = o.preferredLabel}] +
          [t IN [o.preferredLabelFr] + coalesce(o.altLabelsFr, []) WHERE t IS NOT NULL | {text: t, lang: 'fr', preferred: t = o.preferredLabelFr}] AS labels
  UNWIND labels AS label
  MERGE (l:OccupationLabel {key: o.uri + '|' + label.lang + '|' + label.text})
  ON CREATE SET l.text = label.text, l.lang = label.lang, l.preferred = label.preferred
  MERGE (l)-[:LABEL_OF]->(o)
} IN TRANSACTIONS OF 500 ROWS
