"""Raking, design effect, intervals and Rao–Scott, checked against R's survey package.

The reference figures below were computed with R 4.x and survey 4.1-1 (Debian's r-cran-survey)
on the same 72 respondents:

    des <- svydesign(ids=~1, weights=~rep(1,nrow(d)), data=d)
    r <- rake(des, list(~sex, ~age), list(sex = 0.49/0.51, age = 0.30/0.38/0.32 of 10000))
    fixed <- svydesign(ids=~1, weights=~w, data=d)   # w: the raked weights, taken as given
    svychisq(~sex+opinion, fixed, statistic="Chisq"); svychisq(~age+opinion, fixed, ...)

R reports Pearson's X² with the p-value of X²/δ̄ (first-order Rao–Scott). On the raked design
itself R's variance also removes what the calibration explains, which gives slightly smaller p
(0.3113 instead of 0.3142 by sex): taking the weights as given is the conservative side.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.weights import (
    check_margins,
    effective_n,
    kish_deff,
    rake,
    rao_scott,
    uncovered,
    weighted_shares,
    wilson_interval,
)

# (sex, age, opinion) -> respondents
COUNTS = {
    ("F", "15-17", "non"): 4, ("F", "15-17", "oui"): 8,
    ("F", "18-21", "non"): 9, ("F", "18-21", "oui"): 10,
    ("F", "22-25", "non"): 6, ("F", "22-25", "oui"): 3,
    ("M", "15-17", "non"): 7, ("M", "15-17", "oui"): 5,
    ("M", "18-21", "non"): 4, ("M", "18-21", "oui"): 6,
    ("M", "22-25", "non"): 8, ("M", "22-25", "oui"): 2,
}  # fmt: skip
MARGINS = {"sex": {"F": 0.49, "M": 0.51}, "age": {"15-17": 0.30, "18-21": 0.38, "22-25": 0.32}}
# survey::rake, weights divided by their mean
R_WEIGHTS = {
    ("F", "15-17"): 0.7881358867, ("F", "18-21"): 0.8593315365, ("F", "22-25"): 1.0550077963,
    ("M", "15-17"): 1.0118641133, ("M", "18-21"): 1.1032700807, ("M", "22-25"): 1.3544929833,
}  # fmt: skip


def respondents() -> pd.DataFrame:
    rows = [key for key, count in COUNTS.items() for _ in range(count)]
    return pd.DataFrame(rows, columns=["sex", "age", "opinion"])


def test_raking_matches_r_survey_rake():
    frame = respondents()
    result = rake(frame, MARGINS)
    assert result.converged
    for (sex, age), expected in R_WEIGHTS.items():
        got = result.weights[(frame.sex == sex) & (frame.age == age)]
        assert got.to_numpy() == pytest.approx(expected, abs=1e-8)


def test_weighted_margins_equal_the_population_margins():
    frame = respondents()
    weights = rake(frame, MARGINS).weights
    for variable, targets in MARGINS.items():
        shares = weighted_shares(frame[variable], weights)
        for category, share in targets.items():
            assert shares[category] == pytest.approx(share, abs=1e-6)
    assert (weights > 0).all()
    assert weights.mean() == pytest.approx(1)


def test_weighted_mean_matches_r_svymean():
    frame = respondents()
    shares = weighted_shares(frame.opinion, rake(frame, MARGINS).weights)
    assert shares["non"] == pytest.approx(0.549286765772, abs=1e-9)


def test_rao_scott_first_order_matches_r_svychisq():
    frame = respondents()
    weights = rake(frame, MARGINS).weights
    by_sex = rao_scott(frame.sex, frame.opinion, weights)
    assert by_sex.pearson == pytest.approx(1.04958789333, rel=1e-8)
    assert by_sex.p_value == pytest.approx(0.314240943906, rel=1e-8)
    by_age = rao_scott(frame.age, frame.opinion, weights)
    assert by_age.pearson == pytest.approx(5.28856351245, rel=1e-8)
    assert by_age.p_value == pytest.approx(0.0804364608371, rel=1e-8)
    assert by_age.dof == 2


def test_rao_scott_with_equal_weights_is_pearson_chi_square():
    from scipy.stats import chi2_contingency

    frame = respondents()
    result = rao_scott(frame.age, frame.opinion, pd.Series(1.0, index=frame.index))
    table = pd.crosstab(frame.age, frame.opinion)
    # With equal weights the design effects are n/(n-1); Pearson's X² is unchanged.
    pearson = chi2_contingency(table, correction=False).statistic
    assert result.pearson == pytest.approx(pearson)
    assert result.mean_deff == pytest.approx(len(frame) / (len(frame) - 1), rel=1e-9)


def test_kish_design_effect_and_effective_n():
    frame = respondents()
    weights = rake(frame, MARGINS).weights
    assert kish_deff(weights) == pytest.approx(1.032039, abs=1e-6)
    assert effective_n(weights) == pytest.approx(len(frame) / kish_deff(weights))
    assert kish_deff(np.ones(10)) == 1.0


def test_trimming_keeps_weights_within_bounds_and_still_converges():
    rng = np.random.default_rng(7)
    n = 2_000
    frame = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], n, p=[0.8, 0.2]),
            "age": rng.choice(["a", "b", "c"], n, p=[0.7, 0.25, 0.05]),
            "zone": rng.choice(["x", "y"], n, p=[0.9, 0.1]),
        }
    )
    margins = {
        "sex": {"F": 0.5, "M": 0.5},
        "age": {"a": 0.3, "b": 0.3, "c": 0.4},
        "zone": {"x": 0.6, "y": 0.4},
    }
    loose = rake(frame, margins)
    assert loose.weights.max() > 80
    feasible = rake(frame, margins, bounds=(0.1, 20.0))
    assert feasible.converged and feasible.max_error < 1e-6
    assert feasible.weights.between(0.1 - 1e-9, 20.0 + 1e-9).all() and feasible.trimmed > 0
    # A cap of 5 cannot meet every margin at once: the bounds hold and the result says so.
    capped = rake(frame, margins, bounds=(0.3, 5.0))
    assert capped.weights.between(0.3 - 1e-9, 5.0 + 1e-9).all()
    assert capped.trimmed > 0
    assert not capped.converged and capped.max_error > 1e-6


def test_generated_data_rakes_to_margins_within_1e6():
    rng = np.random.default_rng(11)
    for _ in range(20):
        n = int(rng.integers(200, 3000))
        frame = pd.DataFrame(
            {
                "a": rng.choice(list("pqr"), n, p=[0.5, 0.3, 0.2]),
                "b": rng.choice(list("st"), n, p=[0.7, 0.3]),
                "c": rng.choice(list("uvwx"), n),
            }
        )
        margins = {
            var: dict(zip(cats, rng.dirichlet(np.ones(len(cats)) * 5), strict=True))
            for var, cats in (("a", "pqr"), ("b", "st"), ("c", "uvwx"))
        }
        result = rake(frame, margins)
        assert result.converged and result.max_error < 1e-6
        assert (result.weights > 0).all()


def test_a_category_left_out_of_the_margins_is_raked_on_the_other_variables():
    frame = respondents()
    frame.loc[:3, "sex"] = "X"  # "prefers not to say": no population figure
    result = rake(frame, MARGINS)
    assert weighted_shares(frame.sex[frame.sex != "X"], result.weights)["F"] == pytest.approx(0.49)
    assert weighted_shares(frame.age, result.weights)["15-17"] == pytest.approx(0.30)


def test_missing_answers_are_raked_on_the_other_variables():
    frame = respondents()
    frame.loc[:5, "age"] = None
    result = rake(frame, MARGINS)
    shares = weighted_shares(frame.age, result.weights)
    assert shares["22-25"] == pytest.approx(0.32, abs=1e-6)
    assert weighted_shares(frame.sex, result.weights)["F"] == pytest.approx(0.49, abs=1e-6)


def test_margins_are_checked_before_raking():
    frame = respondents()
    codes = {p.code for p in check_margins(frame, {"sex": {"F": 0.6, "M": 0.6}})}
    assert codes == {"W_SHARES_SUM"}
    assert check_margins(frame, {"sex": {"F": 1.0}}) == []
    codes = {p.code for p in uncovered(frame, {"sex": {"F": 1.0}})}
    assert codes == {"W_CATEGORY_NOT_IN_MARGIN"}
    codes = {p.code for p in check_margins(frame, {"sex": {"F": 0.5, "X": 0.5}})}
    assert codes == {"W_EMPTY_CATEGORY"}
    codes = {p.code for p in check_margins(frame, {"nope": {"a": 1.0}})}
    assert codes == {"W_UNKNOWN_VARIABLE"}
    with pytest.raises(ValueError):
        rake(frame, {"sex": {"F": 0.2, "M": 0.2}})


def test_wilson_interval_known_values():
    # Wilson (1927) / Newcombe (1998) example: 81 of 263 → 0.2553 to 0.3662
    low, high = wilson_interval(81 / 263, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert wilson_interval(0.0, 10)[0] == 0.0


def test_weighted_summary_reweights_shares_but_keeps_counts(frame):
    from analysis.summaries import summarise
    from analysis.weights import weighted_summary
    from tests.analysis.survey import GENDER, HOBBIES, SATISFACTION

    weights = pd.Series([3.0, 1.0, 1.0, 1.0, 1.0, 1.0], index=frame.index)
    gender = weighted_summary(summarise(frame, GENDER), frame, weights)
    # answered: f (w=3), f (1), m (1), m (1), f (1): f = 5/7
    assert gender.table["count"].tolist() == [3, 2]
    assert gender.table["share"].tolist() == pytest.approx([5 / 7, 2 / 7])
    assert gender.stats["n_effective"] == pytest.approx(49 / 13)
    assert (gender.table["ci_low"] < gender.table["share"]).all()
    hobbies = weighted_summary(summarise(frame, HOBBIES), frame, weights)
    # answered: 1 (w3: sport, music), 2 (music), 3 (all), 4 (none) → base 6
    assert hobbies.table.set_index("value")["share"]["sport"] == pytest.approx(4 / 6)
    scale = weighted_summary(summarise(frame, SATISFACTION), frame, weights)
    # 4 (w3), 3, 4, 1, 2 → mean (12+3+4+1+2)/7
    assert scale.stats["mean"] == pytest.approx(22 / 7)


def test_equal_weights_change_nothing_but_add_intervals(frame):
    from analysis.summaries import summarise
    from analysis.weights import weighted_summary
    from tests.analysis.survey import GENDER

    plain = summarise(frame, GENDER)
    same = weighted_summary(plain, frame, pd.Series(1.0, index=frame.index))
    assert same.table["share"].tolist() == pytest.approx(plain.table["share"].tolist())
    assert same.stats["deff"] == pytest.approx(1.0)


def test_weighted_crosstab_uses_rao_scott_and_weighted_shares():
    from analysis.codebook import Variable
    from analysis.crosstab import crosstab
    from analysis.weights import weighted_crosstab

    frame = respondents()
    frame["age"] = pd.Categorical(frame["age"], categories=["15-17", "18-21", "22-25"])
    frame["opinion"] = pd.Categorical(frame["opinion"], categories=["non", "oui"])
    age = Variable("age", "single", "Age", ("15-17", "18-21", "22-25"))
    opinion = Variable("opinion", "single", "Opinion", ("non", "oui"))
    weights = rake(frame, MARGINS).weights
    table = weighted_crosstab(crosstab(frame, age, opinion), frame, weights)
    assert table.counts.loc["15-17", "oui"] == 13  # counts stay respondents
    assert table.test.p_value == pytest.approx(0.0804364608371, rel=1e-8)  # R, above
    youngest = frame.age == "15-17"
    expected = weights[youngest & (frame.opinion == "oui")].sum() / weights[youngest].sum()
    assert table.row_shares.loc["15-17", "oui"] == pytest.approx(expected)
