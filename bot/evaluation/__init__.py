"""`rasad eval`: score the extractor, or the whole pipeline, against articles an analyst has labelled."""
