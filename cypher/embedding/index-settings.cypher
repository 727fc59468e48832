// The settings of the existing embedding vector indexes, to rebuild one whose settings differ from
// the configuration (the vectors stay on the nodes; only the index is rebuilt).
// params: none
// returns: name, quantized
SHOW VECTOR INDEXES YIELD name, options
WHERE name ENDS WITH '_embedding'
RETURN name, options.indexConfig.`vector.quantization.enabled` AS quantized
