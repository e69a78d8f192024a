"""gan_course.theory on cases with known answers, and the exercise checks."""
import numpy as np
import pytest
from scipy.stats import wasserstein_distance

from gan_course import exercises, theory
from gan_course.data import Mixture1D

GRID = np.linspace(-15, 15, 30001)
DX = GRID[1] - GRID[0]


def gaussian(mu, sigma):
    return Mixture1D((mu,), (sigma,)).pdf(GRID)


@pytest.mark.parametrize("mu1, s1, mu2, s2", [(0, 1, 1, 1), (0, 1, 0, 2), (-1, 0.5, 2, 1.5)])
def test_grid_kl_matches_closed_form_for_gaussians(mu1, s1, mu2, s2):
    numeric = theory.kl_divergence(gaussian(mu1, s1), gaussian(mu2, s2), DX)
    assert numeric == pytest.approx(theory.kl_gaussians(mu1, s1, mu2, s2), abs=1e-6)


def test_kl_is_asymmetric_and_infinite_off_support():
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])
    assert theory.kl_divergence(p, q) != pytest.approx(theory.kl_divergence(q, p))
    assert theory.kl_divergence(q, p) == float("inf")


def test_jsd_is_symmetric_and_between_zero_and_log2():
    p, q = np.array([0.2, 0.8, 0.0]), np.array([0.5, 0.25, 0.25])
    assert theory.js_divergence(p, q) == pytest.approx(theory.js_divergence(q, p))
    assert theory.js_divergence(p, p) == 0.0
    assert theory.js_divergence([1, 0], [0, 1]) == pytest.approx(np.log(2))


@pytest.mark.parametrize("p_g", [gaussian(1, 1), gaussian(0, 2), Mixture1D((-2, 2), (0.5, 0.5)).pdf(GRID)])
def test_value_at_optimum_is_two_jsd_minus_log4(p_g):
    p_data = gaussian(0, 1)
    v = theory.value_at_optimum(p_data, p_g, DX)
    assert v == pytest.approx(2 * theory.js_divergence(p_data, p_g, DX) - np.log(4), abs=1e-9)
    assert v > -np.log(4)
    assert theory.value_at_optimum(p_data, p_data, DX) == pytest.approx(-np.log(4), abs=1e-9)


def test_optimal_discriminator_is_half_where_densities_agree():
    p = gaussian(0, 1)
    np.testing.assert_allclose(theory.optimal_discriminator(p, p)[p > 0], 0.5)
    assert np.isnan(theory.optimal_discriminator(np.array([0.0]), np.array([0.0])))[0]
    assert theory.optimal_discriminator(np.array([3.0]), np.array([1.0]))[0] == 0.75


def test_value_function_from_samples():
    assert theory.value_function([0.5], [0.5]) == pytest.approx(-np.log(4))
    assert theory.value_function([1.0], [0.0]) == 0.0
    assert theory.value_function([0.0], [0.5]) == float("-inf")


def test_earth_mover_reproduces_the_seed_example():
    target = [1, 0, 0]  # all mass in bin 1
    distance, plan = theory.earth_mover([0, 0, 1], target, positions=[1, 2, 3])
    assert distance == pytest.approx(2)
    assert plan[2, 0] == pytest.approx(1)
    assert theory.earth_mover([0, 1, 0], target, positions=[1, 2, 3])[0] == pytest.approx(1)


def test_earth_mover_plan_has_the_histograms_as_marginals_and_matches_scipy():
    rng = np.random.default_rng(0)
    p, q = rng.dirichlet(np.ones(7)), rng.dirichlet(np.ones(7))
    x = np.sort(rng.uniform(0, 5, 7))
    distance, plan = theory.earth_mover(p, q, x)
    np.testing.assert_allclose(plan.sum(1), p, atol=1e-9)
    np.testing.assert_allclose(plan.sum(0), q, atol=1e-9)
    assert distance == pytest.approx(wasserstein_distance(x, x, p, q), abs=1e-9)


def test_a_wasteful_plan_costs_more_than_the_optimum():
    p = np.array([0.5, 0.0, 0.5])
    swap = np.array([[0, 0, 0.5], [0, 0, 0], [0.5, 0, 0]])
    assert theory.transport_cost(swap) == pytest.approx(2.0)
    assert theory.earth_mover(p, p)[0] == pytest.approx(0.0)


@pytest.mark.parametrize("p, q, message", [
    ([0.5, 0.4], [0.5, 0.5], "sum to 1"),
    ([0.5, 0.5], [0.5, 0.25, 0.25], "same grid"),
    ([1.5, -0.5], [0.5, 0.5], ">= 0"),
    ([[0.5, 0.5]], [[0.5, 0.5]], "1-D"),
])
def test_bad_distributions_are_rejected(p, q, message):
    for function in (theory.kl_divergence, theory.js_divergence, theory.earth_mover):
        with pytest.raises(ValueError, match=message):
            function(p, q)


def test_density_that_does_not_integrate_to_one_is_rejected():
    with pytest.raises(ValueError, match="integrate to 1"):
        theory.kl_divergence(2 * gaussian(0, 1), gaussian(0, 1), DX)


def test_bad_probabilities_for_value_function_are_rejected():
    with pytest.raises(ValueError, match="d_fake"):
        theory.value_function([0.5], [1.5])


def test_exercise_checks_accept_right_and_reject_wrong_answers(capsys):
    assert exercises.is_right("01.1", -np.log(4))
    assert not exercises.is_right("01.1", np.log(4))
    assert exercises.is_right("03.3", 2.0) and not exercises.is_right("03.3", "two")
    assert not exercises.is_right("02.1", None)
    exercises.check("05.1", None)  # the hint would give the answer away before any attempt
    assert capsys.readouterr().out == ("Exercise 05.1: no answer yet; replace None with your answer "
                                       "(a hint comes with a wrong one).\n")
    exercises.check("01.1", np.log(4))
    assert "not yet" in capsys.readouterr().out
    exercises.check("01.1", -np.log(4))
    assert "right" in capsys.readouterr().out
    with pytest.raises(ValueError, match="no exercise"):
        exercises.check("99.9", 1)


def test_numeric_checks_say_close_name_known_mistakes_and_print_plain_numbers(capsys):
    exercises.check("01.1", -1.39)  # -log 4 = -1.3863: right to 2 decimals only
    assert capsys.readouterr().out == "Exercise 01.1: close (-1.39); give at least 3 significant digits.\n"
    exercises.check("04.2", 1.01)  # the factor on the squared distance
    assert "take its square root" in capsys.readouterr().out
    exercises.check("06.2", 0.112)  # 12% off: not a rounding of 0.1
    assert capsys.readouterr().out.startswith("Exercise 06.2: not yet (0.112). Hint:")
    exercises.check("06.3", 73)  # a count is exact: no "close"
    assert capsys.readouterr().out.startswith("Exercise 06.3: not yet (73). Hint:")
    exercises.check("01.1", np.float64(1.3862943611198906))
    assert capsys.readouterr().out.startswith("Exercise 01.1: not yet (1.38629). Hint:")


# ------------------------------------------------------------------ numerics at the edges
def test_jsd_stays_log2_where_the_mixture_underflows():
    # m = (5e-324 + 0) / 2 rounds to 0; the log of 2 p / (p + q) keeps the term finite
    assert theory.js_divergence([1.0, 5e-324, 0.0], [0.0, 0.0, 1.0]) == pytest.approx(np.log(2), abs=1e-15)


def test_jsd_of_narrow_gaussians_on_lesson_03s_grid_is_finite_and_matches_v_at_optimum():
    p, q = gaussian(0, 0.3), gaussian(0.05, 0.3)  # far tails are denormal floats on this grid
    jsd = theory.js_divergence(p, q, DX)
    assert np.isfinite(jsd)
    assert jsd == pytest.approx((theory.value_at_optimum(p, q, DX) + np.log(4)) / 2, abs=1e-12)


def test_kl_does_not_overflow_when_q_is_the_smallest_float():
    expected = 0.5 * np.log(0.5) + 0.5 * (np.log(0.5) - np.log(1e-320))  # 367.72
    assert theory.kl_divergence([0.5, 0.5], [1.0, 1e-320]) == pytest.approx(expected, rel=1e-12)


def test_inputs_that_nearly_sum_to_one_are_normalised():
    # each within the 1e-3 tolerance; used as given they made KL < 0 and JSD > log 2
    assert theory.kl_divergence([0.49955, 0.49955], [0.5, 0.5]) == pytest.approx(0.0, abs=1e-15)
    assert theory.js_divergence([1.0009, 0.0, 0.0], [0.0, 0.0, 1.0]) == pytest.approx(np.log(2), abs=1e-15)
    with pytest.raises(ValueError, match="within 0.001"):
        theory.kl_divergence([0.6, 0.6], [0.5, 0.5])


def test_earth_mover_is_exact_to_1e9_on_60_bins():
    # W1 on a line is the area between the two CDFs; HiGHS at its default tolerances
    # missed it by up to ~4e-7 on pmfs like these (and called some infeasible)
    rng = np.random.default_rng(1)
    x = np.linspace(-3, 3, 60)
    for _ in range(6):
        p, q = rng.dirichlet(np.full(60, 0.1)), rng.dirichlet(np.full(60, 0.1))
        exact = np.sum(np.abs(np.cumsum(p) - np.cumsum(q))[:-1] * np.diff(x))
        assert theory.earth_mover(p, q, x)[0] == pytest.approx(exact, abs=1e-9)
