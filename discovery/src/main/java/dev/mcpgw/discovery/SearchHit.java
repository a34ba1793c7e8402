package dev.mcpgw.discovery;

/**
 * One result: the tool, its fused score (higher is better; comparable within one answer), and the parts it was
 * made of: BM25 normalised to the best lexical match of the query (0-1) and the cosine similarity of the
 * embeddings (0 when searching lexically).
 */
public record SearchHit(ToolDocument tool, double score, double lexical, double semantic) {}
