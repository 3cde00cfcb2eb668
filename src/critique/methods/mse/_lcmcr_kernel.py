"""The compiled Gibbs sampler of :mod:`critique.methods.mse.lcmcr` (numba, cached on disk).

Kept in its own module so that numba can cache the compiled function between processes; the model,
its priors and its source are documented in :mod:`critique.methods.mse.lcmcr`.
"""
import numpy as np
from numba import njit


@njit(cache=True)
def multinomial(n, weight, total, out):
    """Fill ``out`` with a Multinomial(n, weight / total) draw, class by class (sequential binomials)."""
    left = n
    rem = 1.0
    for k in range(out.size):
        out[k] = 0
        if left == 0:
            continue
        q = weight[k] / total
        if k == out.size - 1 or rem <= q:
            m = left
        else:
            m = np.random.binomial(left, min(1.0, q / rem))
        rem -= q
        left -= m
        out[k] = m


@njit(cache=True)
def gibbs(x, counts, K, a_alpha, b_alpha, burnin, samples, thinning, s):
    np.random.seed(s)
    P, J = x.shape
    n = counts.sum()
    lam = np.empty((K, J))
    for k in range(K):
        for j in range(J):
            lam[k, j] = np.random.uniform(0.05, 0.95)
    alpha = 1.0
    V = np.empty(K)
    pi = np.empty(K)
    rest = 1.0
    for k in range(K):
        V[k] = np.random.beta(1.0, alpha) if k < K - 1 else 1.0
        pi[k] = V[k] * rest
        rest *= 1.0 - V[k]
    n0 = n
    out_n0 = np.empty(samples, dtype=np.int64)
    out_alpha = np.empty(samples)
    out_kstar = np.empty(samples, dtype=np.int64)
    logp = np.empty(K)
    prob = np.empty(K)
    nk = np.empty(K)
    draw = np.zeros(K, dtype=np.int64)
    sk = np.empty((K, J))
    total = burnin + samples * thinning
    kept = 0
    loglam = np.empty((K, J))
    log1m = np.empty((K, J))
    logpi = np.empty(K)
    for it in range(total):
        for k in range(K):
            nk[k] = 0.0
            logpi[k] = np.log(pi[k]) if pi[k] > 0 else -1e300
            for j in range(J):
                sk[k, j] = 0.0
                loglam[k, j] = np.log(lam[k, j])
                log1m[k, j] = np.log1p(-lam[k, j])
        # classes of the observed, history by history
        for p in range(P):
            if counts[p] == 0:
                continue
            mx = -1e300
            for k in range(K):
                v = logpi[k]
                for j in range(J):
                    v += loglam[k, j] if x[p, j] else log1m[k, j]
                logp[k] = v
                if v > mx:
                    mx = v
            tot = 0.0
            for k in range(K):
                prob[k] = np.exp(logp[k] - mx)
                tot += prob[k]
            multinomial(counts[p], prob, tot, draw)
            for k in range(K):
                nk[k] += draw[k]
                for j in range(J):
                    if x[p, j]:
                        sk[k, j] += draw[k]
        # the unobserved: how many, then their classes
        p0 = 0.0
        for k in range(K):
            v = pi[k]
            for j in range(J):
                v *= 1.0 - lam[k, j]
            prob[k] = v
            p0 += v
        p0 = min(max(p0, 1e-300), 1.0 - 1e-12)
        n0 = np.random.negative_binomial(n, 1.0 - p0)
        multinomial(n0, prob, p0, draw)
        for k in range(K):
            nk[k] += draw[k]
        # list probabilities per class
        for k in range(K):
            for j in range(J):
                lam[k, j] = np.random.beta(1.0 + sk[k, j], 1.0 + nk[k] - sk[k, j])
                lam[k, j] = min(max(lam[k, j], 1e-12), 1.0 - 1e-12)
        # sticks and weights
        after = 0.0
        for k in range(K):
            after += nk[k]
        rest = 1.0
        logsum = 0.0
        for k in range(K):
            after -= nk[k]
            if k < K - 1:
                V[k] = np.random.beta(1.0 + nk[k], alpha + after)
                V[k] = min(max(V[k], 1e-12), 1.0 - 1e-12)
                logsum += np.log1p(-V[k])
            else:
                V[k] = 1.0
            pi[k] = V[k] * rest
            rest *= 1.0 - V[k]
        alpha = np.random.gamma(a_alpha + K - 1, 1.0 / (b_alpha - logsum))
        if it >= burnin and (it - burnin + 1) % thinning == 0:
            out_n0[kept] = n0
            out_alpha[kept] = alpha
            used = 0
            for k in range(K):
                if nk[k] > 0:
                    used += 1
            out_kstar[kept] = used
            kept += 1
    return out_n0, out_alpha, out_kstar



