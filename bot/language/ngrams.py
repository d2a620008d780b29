"""The small n-gram classifier of the report verifier and the risk scorer (docs/nlu.md session 24,
docs/safety.md session 25): TF-IDF of character n-grams (2-5, within words) and word n-grams (1-2),
and a balanced logistic regression from scikit-learn (installed with Rasa). One definition, so what
the scripts measured is what the product runs. scikit-learn is imported on first use, not here."""

from __future__ import annotations


def ngram_classifier(c: float = 4.0, max_iter: int = 2000):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=True, sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True, sublinear_tf=True, min_df=1),
    )
    return make_pipeline(features, LogisticRegression(C=c, class_weight="balanced", max_iter=max_iter))
