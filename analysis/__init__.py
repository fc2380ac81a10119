"""Pure analysis of survey responses: a DataFrame and its codebook in; frames, charts and
file bytes out. See analysis.codebook for the frame contract."""
