#!/usr/bin/env python3
"""Recomputes every external reference value the chapters check, independently of the course's
Swift code, and prints each beside the value the chapter uses.

Usage: python3 scripts/references.py [--check]
  With --check it exits 1 when a recomputed value disagrees with the chapter's beyond the
  tolerance the chapter's own check uses (so the script proves the references, not only prints).

Pinned versions (scripts/requirements-references.txt):
  pip install -r scripts/requirements-references.txt
numpy 2.4.6, scipy 1.17.1, scikit-learn 1.8.0, mpmath 1.3.0; Python 3.11.

Chapter 10's mixture maxima fit scikit-learn's GaussianMixture 481 times (four numbers of
components, 120 starts each, and the four-component fit the chapter quotes); on a busy 2-core
machine that takes several minutes.

Data: chapters/data/wine.csv, the UCI Wine table (Forina et al., CC BY 4.0), standardized with
the population standard deviation (dividing by N), as the chapters do.

Exercise answers are hidden in the chapters as digests: SHA-256 of `ID|value` with the value
as `%.{digits-1}e`, and (second grid) of `ID|B|value` with the value moved to the centre of
its cell on the grid offset by half a unit; the script recomputes both from its own values.
"""

import hashlib
import math
import os
import sys

import mpmath
import numpy as np
from scipy import integrate, optimize, special, stats
from sklearn.decomposition import PCA, FactorAnalysis
from sklearn.metrics import adjusted_rand_score, roc_auc_score
from sklearn.mixture import GaussianMixture

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
failures = []


def report(name, recomputed, used, tolerance):
    """Prints a reference and records it as failed when it misses the chapter's value."""
    ok = abs(recomputed - used) <= tolerance
    print("%-58s %22.12f   chapter %-20s %s" % (name, recomputed, repr(used), "ok" if ok else "DIFFERS"))
    if not ok:
        failures.append(name)


def wine():
    data = np.genfromtxt(os.path.join(ROOT, "chapters/data/wine.csv"), delimiter=",", skip_header=1)
    features = data[:, :13]
    return (features - features.mean(axis=0)) / features.std(axis=0)  # ddof=0, as the chapters


def factor_analysis_maximum(X, q):
    """Average log-likelihood at the maximum, by L-BFGS on the profile likelihood in log ψ: for
    fixed Ψ the best W comes from the eigenvalues λ of Ψ^{-1/2} S Ψ^{-1/2}, and
    ℓ(Ψ) = −½ [d log 2π + Σ log ψ + Σ_{j≤q} (log λ_j + 1) + Σ_{j>q} λ_j] (λ_j ≥ 1 kept)."""
    n, d = X.shape
    S = X.T @ X / n

    def negative(log_psi):
        psi = np.exp(log_psi)
        scaled = S / np.sqrt(np.outer(psi, psi))
        lam = np.sort(np.linalg.eigvalsh(scaled))[::-1]
        kept = np.maximum(lam[:q], 1.0)
        value = d * math.log(2 * math.pi) + log_psi.sum() + np.sum(np.log(kept) + lam[:q] / kept) + lam[q:].sum()
        return 0.5 * value

    best = None
    for start in (np.zeros(d), np.log(np.full(d, 0.5)), np.log(np.full(d, 0.2))):
        result = optimize.minimize(negative, start, method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 20000})
        if best is None or result.fun < best.fun:
            best = result
    return -best.fun


def ppca_maximum(X, q, covariance):
    """σ² (mean of the discarded eigenvalues) and the average log-likelihood of the closed-form
    PPCA built from `covariance`, evaluated on X."""
    values, vectors = np.linalg.eigh(covariance)
    values, vectors = values[::-1], vectors[:, ::-1]
    sigma2 = values[q:].mean()
    W = vectors[:, :q] * np.sqrt(values[:q] - sigma2)
    C = W @ W.T + sigma2 * np.eye(X.shape[1])
    mean = X.mean(axis=0)
    return sigma2, stats.multivariate_normal(mean, C).logpdf(X).mean()


def fixed_noise_maximum(X, q, sigma2):
    """Average log-likelihood of PPCA with σ² held fixed at its maximum over W: columns
    √max(λ_j − σ², 0) u_j (a latent whose eigenvalue is below σ² gets a zero column),
    evaluated with scipy's multivariate_normal on X."""
    n, d = X.shape
    values, vectors = np.linalg.eigh(X.T @ X / n)
    values, vectors = values[::-1], vectors[:, ::-1]
    W = vectors[:, :q] * np.sqrt(np.maximum(values[:q] - sigma2, 0))
    return stats.multivariate_normal(X.mean(axis=0), W @ W.T + sigma2 * np.eye(d)).logpdf(X).mean()


def wine_plane(X):
    """The first two principal components of the standardized wine data (chapter 10's plane),
    each direction signed so that its largest entry is positive, as the chapter does."""
    values, vectors = np.linalg.eigh(X.T @ X / X.shape[0])
    directions = vectors[:, ::-1][:, :2].copy()
    for j in range(2):
        if directions[np.argmax(np.abs(directions[:, j])), j] < 0:
            directions[:, j] = -directions[:, j]
    return X @ directions


def mixture_fit(Z, k, init, seed):
    """scikit-learn's EM for a full-covariance mixture, with the chapter's ridge and tolerance."""
    return GaussianMixture(k, covariance_type="full", reg_covar=1e-6, tol=1e-12, max_iter=20000,
                           init_params=init, random_state=seed).fit(Z)


def mixture_best(Z, k, seeds=40):
    """The best average log-likelihood (and its fit) over `seeds` starts of each of scikit-learn's
    k-means, k-means++ and random-data initializations."""
    best = None
    for init in ("kmeans", "k-means++", "random_from_data"):
        for seed in range(seeds):
            fit = mixture_fit(Z, k, init, seed)
            if best is None or fit.score(Z) > best.score(Z):
                best = fit
    return best


def digest(exercise, value, digits):
    """The `answer:` of `grade`: the nearest-grid digest and the offset-grid digest."""
    text = "%.*e" % (digits - 1, value)
    if text.startswith("-0.") and float(text) == 0:
        text = text[1:]
    exponent = 0 if value == 0 else math.floor(math.log10(abs(value)))
    unit = 10.0 ** (exponent - digits + 1)
    centre = "%.*e" % (digits, (math.floor(value / unit) + 0.5) * unit)
    return " ".join(hashlib.sha256(s.encode()).hexdigest()
                    for s in ("%s|%s" % (exercise, text), "%s|B|%s" % (exercise, centre)))


def responsibility(weights, means, covariances, x, k):
    """p(z = k | x) for a Gaussian mixture, by scipy's densities and logsumexp."""
    joint = [math.log(w) + stats.multivariate_normal(m, c).logpdf(x) for w, m, c in zip(weights, means, covariances)]
    return math.exp(joint[k] - special.logsumexp(joint))


def gumbel_softmax_weight(logits, uniforms, temperature):
    """y at the Gumbel-max category, y = softmax((θ + g)/τ), g = −log(−log u)."""
    perturbed = logits - np.log(-np.log(np.array(uniforms)))
    return special.softmax(perturbed / temperature)[np.argmax(perturbed)]


def gaussian_kl(mean, log_variance, prior_mean, prior_log_variance):
    """KL(N(μ, diag σ²) ‖ N(m, diag s²)) by the general formula for full covariances (numpy):
    ½ [tr(S⁻¹Σ) + (m − μ)ᵀ S⁻¹ (m − μ) − k + log det S − log det Σ]."""
    q, p = np.diag(np.exp(log_variance)), np.diag(np.exp(prior_log_variance))
    inverse, d = np.linalg.inv(p), np.asarray(prior_mean) - np.asarray(mean)
    return 0.5 * (np.trace(inverse @ q) + d @ inverse @ d - len(d) + np.linalg.slogdet(p)[1] - np.linalg.slogdet(q)[1])


def hanley_mcneil(scores, positive):
    """Hanley and McNeil's (1982) standard error of the AUROC, with the area from scikit-learn."""
    a, p, n = roc_auc_score(positive, scores), sum(positive), len(positive) - sum(positive)
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    return math.sqrt((a * (1 - a) + (p - 1) * (q1 - a * a) + (n - 1) * (q2 - a * a)) / (p * n))
def linear_gaussian_posterior_mean(w, b, s2, x):
    """E[z | x] for z ~ N(0, 1), x | z ~ N(w z + b, s2 I): (wᵀ(x − b)/s2) / (1 + wᵀw/s2)."""
    w, b, x = np.asarray(w, float), np.asarray(b, float), np.asarray(x, float)
    return (w @ (x - b) / s2) / (1 + w @ w / s2)


def encoder_information(means, variances):
    """I_q = (1/n) Σ KL(N(μₙ, σ²ₙ) ‖ N(0, 1)) − KL(q(z) ‖ N(0, 1)), q(z) the equal-weight mixture,
    the second KL by scipy's adaptive quadrature (quad) over the real line."""
    means, variances = np.asarray(means, float), np.asarray(variances, float)
    average_kl = np.mean(0.5 * (variances + means ** 2 - 1 - np.log(variances)))
    def integrand(z):
        q = np.mean(stats.norm.pdf(z, means, np.sqrt(variances)))
        return q * (math.log(q) - stats.norm.logpdf(z)) if q > 0 else 0.0
    aggregate_kl = integrate.quad(integrand, -np.inf, np.inf, epsabs=1e-13, epsrel=1e-13, limit=500)[0]
    return average_kl - aggregate_kl


def main():
    X = wine()
    n, d = X.shape

    print("Chapter 01: factor analysis maxima, average log-likelihood (scipy L-BFGS, profile likelihood)")
    chapter01 = {1: -16.25994542, 2: -15.43365760, 3: -15.08024976}
    for q in (1, 2, 3):
        report("FA maximum, %d factor(s)" % q, factor_analysis_maximum(X, q), chapter01[q], 1e-4)
        sk = FactorAnalysis(n_components=q, tol=1e-12, max_iter=200000, svd_method="lapack").fit(X)
        report("FA maximum, %d factor(s), scikit-learn FactorAnalysis" % q, sk.score(X), chapter01[q], 1e-4)

    print("\nChapter 02: PPCA maxima, S with 1/N (numpy closed form, scipy multivariate_normal)")
    S = X.T @ X / n
    chapter02 = {1: (0.69117915, -17.00446677), 2: (0.52701600, -16.15525989), 3: (0.43511040, -15.70179197)}
    for q in (1, 2, 3):
        sigma2, ll = ppca_maximum(X, q, S)
        report("PPCA σ², q = %d" % q, sigma2, chapter02[q][0], 1e-6)
        report("PPCA maximum log-likelihood, q = %d" % q, ll, chapter02[q][1], 1e-6)
    print("Chapter 02: the N − 1 plug-in (scikit-learn PCA's convention)")
    quoted = {1: (0.69508411, -17.00456973), 2: (0.52999349, -16.15536285), 3: (0.43756866, -15.70189494)}
    for q in (1, 2, 3):
        sigma2, ll = ppca_maximum(X, q, np.cov(X, rowvar=False, ddof=1))
        report("N − 1 plug-in σ², q = %d" % q, sigma2, quoted[q][0], 1e-6)
        report("N − 1 plug-in log-likelihood, q = %d" % q, ll, quoted[q][1], 1e-6)
        pca = PCA(n_components=q).fit(X)
        report("  the same, scikit-learn PCA.noise_variance_", pca.noise_variance_, quoted[q][0], 1e-6)
        report("  the same, scikit-learn PCA.score", pca.score(X), quoted[q][1], 1e-6)

    print("\nChapter 03: mean-field KL for ρ = 0.9 (mpmath, 30 digits)")
    mpmath.mp.dps = 30
    report("KL(q ‖ p) = −½ log(1 − ρ²)", float(-mpmath.log(1 - mpmath.mpf("0.81")) / 2), 0.8303656034, 1e-9)

    print("\nChapter 04: the conjugate example, s² = 0.5, x = 1.5")
    s2, x = 0.5, 1.5
    report("log p(x) = norm.logpdf(1.5, 0, √1.5)", stats.norm.logpdf(x, 0, math.sqrt(1 + s2)), -1.8716710872587548, 1e-12)
    posterior_mean, posterior_var = x / (1 + s2), s2 / (1 + s2)
    table = [(1.0, 1 / 3, -1.871671, 0.000000), (0.0, 1.0, -3.822365, 1.950694), (2.0, 0.1, -3.623657, 1.751986),
             (-1.0, 2.5, -10.114220, 8.242548), (1.4, 0.3, -2.114351, 0.242680)]
    for m, v, elbo_used, kl_used in table:
        expected_log_lik = -0.5 * math.log(2 * math.pi * s2) - ((x - m) ** 2 + v) / (2 * s2)
        elbo = expected_log_lik - 0.5 * (v + m * m - 1 - math.log(v))
        kl = 0.5 * (math.log(posterior_var / v) + (v + (m - posterior_mean) ** 2) / posterior_var - 1)
        report("ELBO at q = N(%g, %.3g)" % (m, v), elbo, elbo_used, 5e-7)
        report("KL(q ‖ p(z|x)) at q = N(%g, %.3g)" % (m, v), kl, kl_used, 5e-7)
    report("KL(N([2, 0], diag(0.25, 4)) ‖ N(0, I))",
           sum(0.5 * (v + m * m - 1 - math.log(v)) for m, v in ((2, 0.25), (0, 4))), 3.125, 1e-12)

    print("\nChapter 08: the linear VAE's targets (chapter 02's q = 2 maximum, and PPCA with σ² fixed at 1)")
    sigma2, ll = ppca_maximum(X, 2, S)
    report("PPCA σ², q = 2", sigma2, 0.52701600, 1e-6)
    report("PPCA maximum log-likelihood, q = 2", ll, -16.15525989, 1e-6)
    report("σ² = 1 fixed, q = 5: maximum log-likelihood", fixed_noise_maximum(X, 5, 1.0), -17.03812138, 1e-6)

    print("\nChapter 10: Gaussian mixtures on the wine plane (scikit-learn GaussianMixture, full covariances,")
    print("reg_covar 1e-6, tol 1e-12; the best of 120 fits: k-means, k-means++ and random-data starts, seeds 0-39)")
    plane = wine_plane(X)
    cultivars = np.genfromtxt(os.path.join(ROOT, "chapters/data/wine.csv"), delimiter=",", skip_header=1)[:, 13]
    chapter10 = {1: -4.0698200471, 2: -3.5966404439, 3: -3.4417152276, 4: -3.3661435854}
    fits = {}
    for k in (1, 2, 3, 4):
        fits[k] = mixture_best(plane, k)
        report("mixture maximum, %d component(s), best of 120 fits" % k, fits[k].score(plane), chapter10[k], 1e-6)
    report("adjusted Rand index, best 3-component fit vs cultivars",
           adjusted_rand_score(cultivars, fits[3].predict(plane)), 0.8962913995151285, 1e-12)
    # The chapter starts its own EM from scikit-learn's best four-component fit, whose parameters
    # it quotes (weights, means, covariances) to 12 decimals: the k-means++ start 6.
    four = mixture_fit(plane, 4, "k-means++", 6)
    report("  the same, k-means++ start 6 (the fit the chapter quotes)", four.score(plane), chapter10[4], 1e-9)
    quoted = {
        "weights": [0.183342966391, 0.449684390671, 0.296835327493, 0.070137315445],
        "means": [[-2.831510613600, 1.676499297963], [2.048120616223, 0.377562096465],
                  [-0.726586376903, -1.703124927925], [-2.654703986635, 0.404770411188]],
        "covariances": [[[0.484392082748, 0.345569946864], [0.345569946864, 0.647594215131]],
                        [[0.762304509428, 0.679512642524], [0.679512642524, 1.567504481394]],
                        [[0.877591137883, -0.465881601393], [-0.465881601393, 0.743372250690]],
                        [[0.092234935693, 0.000055138763], [0.000055138763, 0.011158178985]]],
    }
    differences = [np.max(np.abs(four.weights_ - quoted["weights"])), np.max(np.abs(four.means_ - quoted["means"])),
                   np.max(np.abs(four.covariances_ - quoted["covariances"]))]
    report("  its parameters − the chapter's quoted ones, largest |difference|", max(differences), 0.0, 1e-11)

    print("\nExercise answers (value; digest at the chapter's digits)")
    eigenvalues = np.sort(np.linalg.eigvalsh(S))[::-1]
    fa2 = FactorAnalysis(n_components=2, tol=1e-12, max_iter=200000, svd_method="lapack").fit(X)
    answers = [
        ("fa-parameters", 13 * 4 + 13 - 4 * 3 / 2, 4),
        ("fa-marginal", fa2.score_samples(X)[0], 6),
        ("ppca-sigma2", eigenvalues[4:].mean(), 5),
        ("pca-explained", eigenvalues[:2].sum() / eigenvalues.sum(), 4),
        ("mf-variance", 1 - 0.5 ** 2, 6),
        ("mf-kl", -0.5 * math.log(1 - 0.5 ** 2), 6),
        ("kl-one-dimension", 0.5 * (2 + 1 - 1 - math.log(2)), 6),
        ("evidence-at-half", stats.norm.logpdf(0.5, 0, math.sqrt(1.5)), 6),
        ("score-variance", (0.5 ** 4 + 18 * 0.25 * 4 + 15 * 16) / 4 - 1, 4),
        ("lognormal-mean", math.exp(0.5 + 0.25 / 2), 6),
        ("linear-vae-rate", 0.5 * np.sum(np.log(eigenvalues[:3] / eigenvalues[3:].mean())), 5),
        ("fixed-noise-elbo", fixed_noise_maximum(X, 8, 0.6), 5),
        ("mixture-responsibility", responsibility([0.5, 0.3, 0.2], [[0, 0], [1, -1], [-1, 1]],
                                                  [[[1, 0.3], [0.3, 0.5]], [[0.4, 0], [0, 0.8]], [[2, -0.5], [-0.5, 1]]],
                                                  [0.5, -0.8], 1), 4),
        ("gumbel-softmax-weight", gumbel_softmax_weight(np.log([0.2, 0.5, 0.3]), [0.88, 0.35, 0.62], 0.5), 4),
        ("class-prior-kl", gaussian_kl([0.4, -1.1, 0.0, 2.0], [-0.5, 0.2, -1.5, 0.0],
                                       [0.5, -0.3, 1.0, 1.2], [0.3, -0.4, 0.0, 0.7]), 4),
        ("auroc-standard-error", hanley_mcneil([3.1, 2.4, 2.4, 1.7, 0.9, 2.4, 1.2, 0.3, 1.7, -0.6, 0.8, 1.1],
                                               [1] * 5 + [0] * 7), 4),
        # Chapter 12: the closed-form posterior mean of a linear-Gaussian model, and I_q of three
        # fixed Gaussian encoders by scipy's quadrature.
        ("posterior-mean-grid", linear_gaussian_posterior_mean([1.5, -0.5], [0.2, 0], 0.25, [1.2, 0.3]), 6),
        ("encoder-information", encoder_information([-1, 0.5, 2], [0.3, 0.5, 0.2]), 5),
    ]
    # Chapter 09: the first wine under the 2-component PPCA with its noise variance divided by
    # 400, where the chapter's grid quadrature is checked: log p(x) = N(x; μ, WWᵀ + σ²I), and the
    # ELBO of q = N(m + (0.01, −0.01), diag(0.015², 0.02²)) is log p(x) − KL(q ‖ N(m, G)), with the
    # posterior G = σ²(WᵀW + σ²I)⁻¹, m = G Wᵀ(x − μ)/σ² (both invariant to the eigenvectors' signs).
    values, vectors = np.linalg.eigh(S)
    values, vectors = values[::-1], vectors[:, ::-1]
    W = vectors[:, :2] * np.sqrt(values[:2] - values[2:].mean())
    sigma2 = values[2:].mean() / 400
    x0 = X[0] - X.mean(axis=0)
    log_evidence = stats.multivariate_normal(np.zeros(d), W @ W.T + sigma2 * np.eye(d)).logpdf(x0)
    M = W.T @ W + sigma2 * np.eye(2)
    G, m = sigma2 * np.linalg.inv(M), np.linalg.solve(M, W.T @ x0)
    D, delta = np.diag([0.015 ** 2, 0.02 ** 2]), np.array([0.01, -0.01])
    Ginv = np.linalg.inv(G)
    kl = 0.5 * (np.trace(Ginv @ D) + delta @ Ginv @ delta - 2 + np.linalg.slogdet(G)[1] - np.linalg.slogdet(D)[1])
    answers += [("grid-evidence", log_evidence, 6), ("gaussian-elbo", log_evidence - kl, 6)]
    chapters = "".join(open(os.path.join(ROOT, "chapters", name)).read()
                       for name in sorted(os.listdir(os.path.join(ROOT, "chapters"))) if name.endswith(".md"))
    for exercise, value, digits in answers:
        hidden = digest(exercise, value, digits)
        found = hidden in chapters
        print("%-24s %.12g   %s %s" % (exercise, value, hidden[:16] + "…", "in its chapter" if found else "NOT IN ANY CHAPTER"))
        if "--answers" in sys.argv:
            print("answer %s %s" % (exercise, hidden))
        if not found:
            failures.append(exercise)

    if failures:
        print("\n%d reference(s) differ: %s" % (len(failures), ", ".join(failures)), file=sys.stderr)
        return 1 if "--check" in sys.argv else 0
    print("\nall references agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
