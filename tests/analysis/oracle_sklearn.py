#!/usr/bin/python3
"""Test oracle (never used by the product): scikit-learn / xgboost reference values for the
fixtures the C++ tests write. Usage: oracle_sklearn.py lasso|mi|xgb FIXTURE.json -> JSON on stdout."""
import json
import sys

import numpy as np


def lasso(fx):
    from sklearn.linear_model import LassoCV
    X = np.array(fx["x"]); y = np.array(fx["y"]); fold = np.array(fx["fold"])
    cv = [(np.where(fold != f)[0], np.where(fold == f)[0]) for f in range(fx["k"])]
    m = LassoCV(alphas=fx["alphas"], cv=cv, tol=1e-12, max_iter=1000000, fit_intercept=True)
    m.fit(X, y)
    return {"alpha": float(m.alpha_), "coef": m.coef_.tolist(), "intercept": float(m.intercept_),
            "mse_path_mean": m.mse_path_.mean(axis=1).tolist()}


def mi(fx):
    from sklearn.feature_selection import mutual_info_regression
    X = np.array(fx["x"]); y = np.array(fx["y"])
    return {"mi": mutual_info_regression(X, y, n_neighbors=fx["k"], random_state=0).tolist()}


def xgb(fx):
    import xgboost
    X = np.array(fx["x"], dtype=np.float32); y = np.array(fx["y"], dtype=np.float32)
    d = xgboost.DMatrix(X, label=y, missing=np.nan)
    params = dict(fx["params"])
    b = xgboost.train(params, d, num_boost_round=fx["rounds"])
    contrib = b.predict(d, pred_contribs=True)
    score = b.get_score(importance_type="total_gain")
    gain = [float(score.get("f%d" % j, 0.0)) for j in range(X.shape[1])]
    return {"mean_abs_shap": np.abs(contrib[:, :-1]).mean(axis=0).tolist(), "gain": gain,
            "pred": b.predict(d).tolist()}


if __name__ == "__main__":
    fx = json.load(open(sys.argv[2]))
    print(json.dumps({"lasso": lasso, "mi": mi, "xgb": xgb}[sys.argv[1]](fx)))
