"""The mathematics of GANs as functions that can be checked: lessons 01-03 and 07.

Distributions come in two forms, and every function says which it takes:
    pmf      a probability vector p (K,) with p >= 0 and sum(p) = 1;
    density  values p(x_i) on a uniform grid x (K,) with spacing dx, integrating
             to 1 (sum(p) * dx = 1). Pass dx to treat arrays as densities.
Integrals over a grid are Riemann sums, which for smooth densities whose tails
vanish inside the grid are accurate far beyond 1e-6.
"""
import numpy as np

LOG_2 = float(np.log(2.0))
LOG_4 = float(np.log(4.0))


# ------------------------------------------------------------------ input checks
def _as_distribution(p, name, dx=None, tol=1e-3):
    """p as float64, checked, and normalised to total exactly 1 (sum, or sum * dx).

    A total off by more than `tol` is refused as a mistake; within it (rounding,
    a Riemann sum on a coarse grid) p is rescaled, so that KL stays >= 0 and JSD
    <= log 2 whatever the rounding of the inputs.
    """
    p = np.asarray(p, dtype="float64")
    if p.ndim != 1 or len(p) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {p.shape}")
    if not np.isfinite(p).all() or (p < 0).any():
        raise ValueError(f"{name} must be finite and >= 0 everywhere (a probability or a density)")
    total = p.sum() * (1.0 if dx is None else dx)
    if abs(total - 1.0) > tol:
        what = "sum to 1 (a pmf)" if dx is None else f"integrate to 1 over the grid (sum * dx = {total:.6g})"
        raise ValueError(f"{name} must {what} within {tol:g}; it totals {total:.6g}")
    return p / total


def _pair(p, q, dx):
    if dx is not None and not dx > 0:
        raise ValueError(f"dx must be > 0, got {dx}")
    p, q = _as_distribution(p, "p", dx), _as_distribution(q, "q", dx)
    if p.shape != q.shape:
        raise ValueError(f"p and q must live on the same grid, got shapes {p.shape} and {q.shape}")
    return p, q, (1.0 if dx is None else dx)


# ------------------------------------------------------------------ divergences
def kl_divergence(p, q, dx=None):
    """KL(p || q) = sum p log(p / q) (times dx for densities), in nats.

    Terms with p = 0 count 0; any p > 0 where q = 0 makes it infinite.
    Not symmetric: KL(p || q) != KL(q || p) in general. Taught in 03.
    """
    p, q, dx = _pair(p, q, dx)
    support = p > 0
    if np.any(q[support] == 0):
        return float("inf")
    # log p - log q rather than log(p / q): p / q overflows for q near the smallest float
    return float(np.sum(p[support] * (np.log(p[support]) - np.log(q[support]))) * dx)


def js_divergence(p, q, dx=None):
    """JSD(p || q) = KL(p || m) / 2 + KL(q || m) / 2 with m = (p + q) / 2, in nats.

    Symmetric, finite, between 0 (p = q) and log 2 (disjoint supports). Taught in 03.
    Each log is taken of a / m = 2 a / (p + q), which lies in (0, 2]: m itself
    can round to 0 (5e-324 / 2 does) and make a term infinite.
    """
    p, q, dx = _pair(p, q, dx)
    total = p + q

    def half_kl(a):  # KL(a || m) / 2
        support = a > 0
        return 0.5 * float(np.sum(a[support] * np.log(a[support] / total[support] * 2)))

    return (half_kl(p) + half_kl(q)) * dx


def kl_gaussians(mu1, sigma1, mu2, sigma2):
    """Closed form KL(N(mu1, sigma1^2) || N(mu2, sigma2^2)) in nats."""
    if not (sigma1 > 0 and sigma2 > 0):
        raise ValueError(f"standard deviations must be > 0, got {sigma1}, {sigma2}")
    return float(np.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2) - 0.5)


# ------------------------------------------------------------------ the GAN game
def value_function(d_real, d_fake):
    """V(D, G) estimated from samples: mean log D(x) + mean log(1 - D(G(z))).

    d_real: D's outputs on real samples, d_fake: on generated ones; both in [0, 1].
    D wants V large (d_real -> 1, d_fake -> 0); G wants it small. Taught in 01.
    """
    d_real, d_fake = np.asarray(d_real, "float64"), np.asarray(d_fake, "float64")
    for name, d in (("d_real", d_real), ("d_fake", d_fake)):
        if d.size == 0 or not np.all((d >= 0) & (d <= 1)):
            raise ValueError(f"{name} must be a non-empty array of probabilities in [0, 1]")
    with np.errstate(divide="ignore"):
        return float(np.mean(np.log(d_real)) + np.mean(np.log1p(-d_fake)))


def optimal_discriminator(p_data, p_g):
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)) pointwise (Goodfellow et al. 2014, Prop. 1).

    Takes densities (or pmfs) on the same grid; NaN where both are 0, since
    D* is then unconstrained. Taught in 02.
    """
    p_data, p_g = np.asarray(p_data, "float64"), np.asarray(p_g, "float64")
    if p_data.shape != p_g.shape:
        raise ValueError(f"p_data and p_g must share a grid, got shapes {p_data.shape} and {p_g.shape}")
    if (p_data < 0).any() or (p_g < 0).any():
        raise ValueError("densities must be >= 0")
    total = p_data + p_g
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, p_data / np.where(total > 0, total, 1.0), np.nan)


def value_at_optimum(p_data, p_g, dx=None):
    """V(D*, G) = E_data[log D*(x)] + E_g[log(1 - D*(x))], by summation on the grid.

    Equals 2 JSD(p_data || p_g) - log 4 (Goodfellow et al. 2014, Theorem 1),
    whose minimum -log 4 is reached only at p_g = p_data. Taught in 03.
    """
    p_data, p_g, dx = _pair(p_data, p_g, dx)
    total = p_data + p_g
    real, fake = p_data > 0, p_g > 0
    # log D* = log p_data - log(p_data + p_g), and likewise for 1 - D*: written so,
    # a tail where p_g << p_data cannot round D* to exactly 1 and log(1 - D*) to -inf.
    log_d = np.log(p_data[real]) - np.log(total[real])
    log_one_minus_d = np.log(p_g[fake]) - np.log(total[fake])
    return float((np.sum(p_data[real] * log_d) + np.sum(p_g[fake] * log_one_minus_d)) * dx)


# ------------------------------------------------------------------ Earth-Mover distance
def _ground_cost(k, positions):
    """|x_i - x_j| (K, K) between bin positions (default 0..K-1)."""
    x = np.arange(k, dtype="float64") if positions is None else np.asarray(positions, "float64")
    if x.shape != (k,):
        raise ValueError(f"positions must have shape ({k},), got {x.shape}")
    return np.abs(x[:, None] - x[None, :])


def earth_mover(p, q, positions=None):
    """Earth-Mover (Wasserstein-1) distance between two pmfs, by linear programming.

    p, q: pmfs (K,) over the same bins; positions: bin locations (K,), default 0..K-1.
    Solves min_gamma sum_ij |x_i - x_j| gamma_ij subject to gamma >= 0,
    sum_j gamma_ij = p_i, sum_i gamma_ij = q_j (scipy.optimize.linprog, HiGHS's
    dual simplex at tolerance 1e-10: exact to ~1e-9).
    Returns (distance, plan): plan (K, K), plan[i, j] = mass moved from bin i
    of p to bin j of q; its row sums are p and column sums q. Taught in 03.
    """
    from scipy.optimize import linprog

    p, q, _ = _pair(p, q, None)
    k = len(p)
    cost = _ground_cost(k, positions)
    rows = np.kron(np.eye(k), np.ones((1, k)))  # sum over j of gamma[i, j]
    cols = np.kron(np.ones((1, k)), np.eye(k))  # sum over i of gamma[i, j]
    # Tolerances of 1e-10 (the solver's default 1e-7 is too loose for checking identities).
    result = linprog(cost.ravel(), A_eq=np.vstack([rows, cols]), b_eq=np.concatenate([p, q]),
                     bounds=(0, None), method="highs-ds",
                     options={"presolve": False, "primal_feasibility_tolerance": 1e-10,
                              "dual_feasibility_tolerance": 1e-10})
    if not result.success:
        raise RuntimeError(f"the transport problem did not solve: {result.message}")
    plan = result.x.reshape(k, k)
    return float(np.sum(cost * plan)), plan


def transport_cost(plan, positions=None):
    """Cost sum_ij |x_i - x_j| plan_ij of any transport plan (K, K), optimal or not."""
    plan = np.asarray(plan, "float64")
    if plan.ndim != 2 or plan.shape[0] != plan.shape[1] or (plan < 0).any():
        raise ValueError(f"plan must be a square array of masses >= 0, got shape {plan.shape}")
    return float(np.sum(_ground_cost(len(plan), positions) * plan))
