package org.higgsnarrator.decode;

/** How far one model's code distribution is from another's: used to judge quantized graphs against fp32. */
public final class Divergence {
    private Divergence() {}

    /** KL(softmax(p) ‖ softmax(q)) over logits [off, off+n) (one codebook of one position), in nats; ≥ 0. */
    public static double kl(float[] p, float[] q, int off, int n) {
        double mp = Double.NEGATIVE_INFINITY, mq = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            mp = Math.max(mp, p[off + i]);
            mq = Math.max(mq, q[off + i]);
        }
        double zp = 0, zq = 0;
        for (int i = 0; i < n; i++) {
            zp += Math.exp(p[off + i] - mp);
            zq += Math.exp(q[off + i] - mq);
        }
        double lzp = Math.log(zp) + mp, lzq = Math.log(zq) + mq, kl = 0;
        for (int i = 0; i < n; i++) {
            double lp = p[off + i] - lzp, lq = q[off + i] - lzq;
            kl += Math.exp(lp) * (lp - lq);
        }
        return Math.max(0, kl);
    }
}
