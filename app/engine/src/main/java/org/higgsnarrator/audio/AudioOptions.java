package org.higgsnarrator.audio;

/**
 * Every tunable of the audio package in one place, with the defaults the product uses.
 *
 * @param referenceSampleRate      rate the voice-cloning reference is converted to (the codec's 24 kHz)
 * @param resampleZeroCrossings    windowed-sinc half-width in zero crossings of the cutoff sinc (longer = steeper)
 * @param resampleKaiserBeta       Kaiser window β; 10 gives about 100 dB stopband attenuation
 * @param resampleCutoff           sinc cutoff as a fraction of the lower Nyquist frequency; with 64 zero crossings
 *                                 and β 10 the transition band ends just below Nyquist, so nothing aliases
 * @param trimFrameSeconds         frame length of the level detector used for trimming and room-tone detection
 * @param trimFloorDb              a frame quieter than this (dBFS RMS) is always silence
 * @param trimBelowPeakDb          a frame this many dB under the loudest frame is silence
 * @param trimAboveNoiseDb         a frame must be this many dB above the noise floor to count as sound
 * @param trimPadSeconds           sound kept before the first and after the last loud frame (breaths, decays)
 * @param clipLevel                |sample| at or above this counts as full scale
 * @param clipRunSamples           this many consecutive full-scale samples count as one clipped spot
 * @param noisyFloorDb             reference clips with a noise floor above this get a "noisy" warning
 * @param quietPeakDb              reference clips whose peak is below this get a "very quiet" warning
 * @param minReferenceSeconds      shorter reference clips clone poorly (warning)
 * @param maxReferenceSeconds      longer reference clips only cost prompt length (warning)
 * @param noiseWindowSeconds       noise floor = RMS of the quietest window of this length (as ACX Check does)
 * @param truePeakZeroCrossings    half-width of the 4x oversampling filter for true peak (BS.1770's example
 *                                 filter has 12 taps per phase; longer catches peaks of content nearer Nyquist)
 * @param truePeakKaiserBeta       Kaiser β of that filter
 * @param truePeakCutoff           its cutoff as a fraction of the input Nyquist frequency
 * @param limiterWindowSeconds     look-around of the offline peak limiter; gain changes are smoothed over it
 * @param limiterReleaseSeconds    time constant with which limiter gain recovers after a peak
 * @param masteringIterations      gain → limit → measure rounds before giving up on hitting the target
 * @param roomToneHeadSeconds      room tone put before a mastered chapter (ACX asks 0.5–1 s)
 * @param roomToneTailSeconds      room tone put after a mastered chapter (ACX asks 1–5 s)
 * @param roomToneDb               RMS level of the generated room tone; NaN means digital silence
 * @param expanderFloorDb          ACX mastering: the downward expander lowers the background between phrases to about
 *                                 this level (after gain); it is off when the background is already quieter
 * @param expanderMaxDepthDb       the most the expander attenuates (a gate with a range, never to silence)
 * @param expanderMaxBackgroundDb  a background louder than this after gain is heard under the speech as well, which
 *                                 no gate hides: such recordings are not expanded and fail with "denoise it"
 * @param expanderOpenAboveNoiseDb frames this far above the background are left untouched (the expander's threshold)
 * @param expanderRatio            below the threshold every dB down becomes this many dB down (1:ratio expansion)
 * @param expanderHoldSeconds      the expander stays open this long after sound (word endings, reverb tails)
 * @param expanderLookaheadSeconds it opens this long before sound (so onsets are never cut)
 * @param expanderSmoothSeconds    gain changes are smoothed over this window (no clicks, no pumping)
 * @param mp3BitrateKbps           MP3 export bitrate (ACX: 192 kbps CBR)
 * @param mp3SampleRate            MP3 export sample rate (ACX: 44.1 kHz)
 * @param aacBitrateKbps           M4B/M4A (AAC, via ffmpeg) bitrate
 */
public record AudioOptions(
        int referenceSampleRate,
        int resampleZeroCrossings,
        double resampleKaiserBeta,
        double resampleCutoff,
        double trimFrameSeconds,
        double trimFloorDb,
        double trimBelowPeakDb,
        double trimAboveNoiseDb,
        double trimPadSeconds,
        double clipLevel,
        int clipRunSamples,
        double noisyFloorDb,
        double quietPeakDb,
        double minReferenceSeconds,
        double maxReferenceSeconds,
        double noiseWindowSeconds,
        int truePeakZeroCrossings,
        double truePeakKaiserBeta,
        double truePeakCutoff,
        double limiterWindowSeconds,
        double limiterReleaseSeconds,
        int masteringIterations,
        double roomToneHeadSeconds,
        double roomToneTailSeconds,
        double roomToneDb,
        double expanderFloorDb,
        double expanderMaxDepthDb,
        double expanderMaxBackgroundDb,
        double expanderOpenAboveNoiseDb,
        double expanderRatio,
        double expanderHoldSeconds,
        double expanderLookaheadSeconds,
        double expanderSmoothSeconds,
        int mp3BitrateKbps,
        int mp3SampleRate,
        int aacBitrateKbps) {

    public static final AudioOptions DEFAULTS = new AudioOptions(
            24_000,
            64, 10.0, 0.95,
            0.010, -60.0, 45.0, 8.0, 0.10,
            0.999, 3,
            -50.0, -30.0,
            3.0, 30.0,
            0.5,
            16, 7.0, 0.95,
            0.005, 0.080,
            8,
            0.75, 1.5, -75.0,
            -70.0, 20.0, -48.0, 8.0, 3.0, 0.01, 0.01, 0.02,
            192, 44_100,
            96);
}
