// Placeholder until the engine lands; replaced by the target graph.
