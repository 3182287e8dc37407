package org.higgsnarrator.audio;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javazoom.spi.mpeg.sampled.convert.MpegFormatConversionProvider;
import javazoom.spi.mpeg.sampled.file.MpegAudioFileReader;
import org.jflac.FLACDecoder;
import org.jflac.PCMProcessor;
import org.jflac.metadata.StreamInfo;
import org.jflac.util.ByteData;

/**
 * Reads an audio file into an {@link AudioClip} at its own rate and channel count. The format is recognised by its
 * content, not its name: WAV (own parser), FLAC (jFLAC), MP3 (mp3spi/JLayer). OGG Vorbis/Opus and MP4/M4A have no
 * working maintained Java decoder, so they are decoded through ffmpeg when it is installed.
 * Anything else — text, images, empty or damaged files — fails with an {@link AudioFileException} that says what to do.
 */
public final class AudioReader {
    private AudioReader() {}

    /** What the file's first bytes say it is. */
    enum Kind { WAV, FLAC, MP3, OGG, MP4, UNKNOWN }

    public static AudioClip read(Path file) throws IOException {
        if (!Files.exists(file)) throw new AudioFileException(file, "file not found", "Check the path");
        if (Files.isDirectory(file)) throw new AudioFileException(file, "is a folder, not an audio file", "Pick a WAV, FLAC or MP3 file");
        long size = Files.size(file);
        if (size == 0) throw new AudioFileException(file, "file is empty (0 bytes)", "Record or export the clip again");
        if (size > Integer.MAX_VALUE - 64)
            throw new AudioFileException(file, "file is larger than 2 GB", "Split it into chapters or convert it to FLAC");
        byte[] bytes = Files.readAllBytes(file);
        AudioClip clip = switch (kind(bytes)) {
            case WAV -> WavCodec.read(file, bytes);
            case FLAC -> readFlac(file, bytes);
            case MP3 -> readMp3(file, bytes);
            case OGG -> viaFfmpeg(file, "OGG (Vorbis/Opus)", "no maintained Java library decodes OGG (the Vorbis SPIs on Maven Central returned no audio)");
            case MP4 -> viaFfmpeg(file, "MP4/M4A (AAC)", "Java has no AAC decoder");
            case UNKNOWN -> throw new AudioFileException(file, "not a recognised audio file (" + describe(bytes) + ")",
                    "Use a WAV, FLAC or MP3 file (OGG and M4A work when ffmpeg is installed)");
        };
        if (clip.frames() == 0) throw new AudioFileException(file, "contains no audio samples", "Record or export the clip again");
        return clip;
    }

    static Kind kind(byte[] b) {
        if (WavCodec.looksLikeWav(b)) return Kind.WAV;
        int start = 0;
        if (b.length >= 10 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') {   // ID3v2 tag: skip it (syncsafe size)
            start = 10 + ((b[6] & 0x7F) << 21 | (b[7] & 0x7F) << 14 | (b[8] & 0x7F) << 7 | (b[9] & 0x7F));
            if ((b[5] & 0x10) != 0) start += 10;                              // footer present
            if (start >= b.length) return Kind.UNKNOWN;
            if (startsWith(b, start, "fLaC")) return Kind.FLAC;
            return Kind.MP3;                                                   // an ID3 tag in front of anything else: MP3
        }
        if (startsWith(b, 0, "fLaC")) return Kind.FLAC;
        if (startsWith(b, 0, "OggS")) return Kind.OGG;
        if (b.length >= 12 && startsWith(b, 4, "ftyp")) return Kind.MP4;
        if (b.length >= 4 && isMpegFrameHeader(b, 0)) return Kind.MP3;
        return Kind.UNKNOWN;
    }

    private static boolean isMpegFrameHeader(byte[] b, int i) {
        int b1 = b[i + 1] & 0xFF, b2 = b[i + 2] & 0xFF;
        return (b[i] & 0xFF) == 0xFF && (b1 & 0xE0) == 0xE0
                && ((b1 >> 1) & 3) != 0          // layer not reserved
                && ((b1 >> 3) & 3) != 1          // version not reserved
                && (b2 >> 4) != 15               // bitrate index not invalid
                && ((b2 >> 2) & 3) != 3;         // sample rate index not reserved
    }

    private static AudioClip readFlac(Path file, byte[] bytes) throws IOException {
        FLACDecoder dec = new FLACDecoder(new ByteArrayInputStream(bytes));
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        StreamInfo[] info = new StreamInfo[1];
        dec.addPCMProcessor(new PCMProcessor() {
            @Override
            public void processStreamInfo(StreamInfo si) {
                info[0] = si;
            }

            @Override
            public void processPCM(ByteData d) {
                pcm.write(d.getData(), 0, d.getLen());
            }
        });
        try {
            dec.decode();
        } catch (IOException | RuntimeException e) {
            throw new AudioFileException(file, "damaged FLAC file (" + e + ")", "Export or convert the clip again", e);
        }
        if (info[0] == null) throw new AudioFileException(file, "FLAC file has no STREAMINFO header", "The file is damaged; export it again");
        if (dec.getBadFrames() > 0)
            throw new AudioFileException(file, "damaged FLAC file (" + dec.getBadFrames() + " frames failed their checksum)", "Export or convert the clip again");
        int bits = info[0].getBitsPerSample(), ch = info[0].getChannels();
        byte[] data = pcm.toByteArray();
        long expected = info[0].getTotalSamples() * ch * ((bits + 7) / 8);
        if (expected > 0 && data.length != expected)
            throw new AudioFileException(file, "damaged or truncated FLAC file (" + data.length + " of " + expected + " bytes of audio decoded)",
                    "Export or convert the clip again");
        // jFLAC does not check frame CRCs, so compare the MD5 of the decoded audio with the one stored in STREAMINFO
        byte[] stored = java.util.Arrays.copyOfRange(bytes, flacStreamInfoOffset(bytes) + 18, flacStreamInfoOffset(bytes) + 34);
        boolean hasMd5 = false;
        for (byte x : stored) hasMd5 |= x != 0;
        if (hasMd5 && bits != 8 && !java.util.Arrays.equals(stored, md5(data)))
            throw new AudioFileException(file, "damaged FLAC file (the decoded audio does not match its MD5 checksum)", "Export or convert the clip again");
        return pcmToClip(file, data, bits, ch, info[0].getSampleRate());
    }

    /** Offset of the STREAMINFO body: after "fLaC" (and any ID3 tag before it) and the 4-byte block header. */
    private static int flacStreamInfoOffset(byte[] b) {
        int start = 0;
        while (!startsWith(b, start, "fLaC")) start++;
        return start + 8;
    }

    private static byte[] md5(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AudioClip pcmToClip(Path file, byte[] pcm, int bits, int channels, int rate) throws AudioFileException {
        if (bits != 8 && bits != 16 && bits != 24)
            throw new AudioFileException(file, bits + "-bit FLAC is not supported", "Convert it to 16- or 24-bit");
        int bytesPer = (bits + 7) / 8;
        int n = pcm.length / bytesPer;
        n -= n % channels;
        float[] s = new float[n];
        ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0, p = 0; i < n; i++, p += bytesPer) {
            s[i] = switch (bits) {
                case 8 -> ((pcm[p] & 0xFF) - 128) / 128f;     // jFLAC hands 8-bit out offset-binary, as WAV has it
                case 16 -> b.getShort(p) / 32768f;
                default -> ((pcm[p] & 0xFF) | (pcm[p + 1] & 0xFF) << 8 | pcm[p + 2] << 16) / 8388608f;
            };
        }
        return new AudioClip(s, rate, channels);
    }

    private static AudioClip readMp3(Path file, byte[] bytes) throws IOException {
        try (AudioInputStream mp3 = new MpegAudioFileReader().getAudioInputStream(new ByteArrayInputStream(bytes))) {
            AudioFormat f = mp3.getFormat();
            AudioFormat pcmFormat = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16, f.getChannels(),
                    2 * f.getChannels(), f.getSampleRate(), false);
            byte[] pcm;
            try (AudioInputStream dec = new MpegFormatConversionProvider().getAudioInputStream(pcmFormat, mp3)) {
                pcm = dec.readAllBytes();
            }
            if (pcm.length == 0) throw new AudioFileException(file, "MP3 file decodes to no audio", "The file is damaged; export it again");
            return pcmToClip(file, pcm, 16, f.getChannels(), Math.round(f.getSampleRate()));
        } catch (AudioFileException e) {
            throw e;
        } catch (javax.sound.sampled.UnsupportedAudioFileException | IOException | RuntimeException e) {
            throw new AudioFileException(file, "damaged or unsupported MP3 file (" + e.getMessage() + ")", "Export or convert the clip again, e.g. as WAV", e);
        }
    }

    private static AudioClip viaFfmpeg(Path file, String what, String why) throws IOException {
        Ffmpeg ff = Ffmpeg.find().orElseThrow(() -> new AudioFileException(file,
                what + " input needs ffmpeg because " + why, "Convert the clip to WAV, FLAC or MP3, or " + Ffmpeg.INSTALL_HINT));
        Path tmp = Files.createTempFile("narrator-decode-", ".wav");
        try {
            try {
                ff.run(List.of("-v", "error", "-y", "-i", file.toString(), "-vn", "-c:a", "pcm_f32le", "-f", "wav", tmp.toString()), 600);
            } catch (IOException e) {
                throw new AudioFileException(file, "ffmpeg could not decode this " + what + " file (" + e.getMessage() + ")",
                        "The file is damaged; export it again", e);
            }
            return WavCodec.read(file, Files.readAllBytes(tmp));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean startsWith(byte[] b, int off, String s) {
        if (b.length < off + s.length()) return false;
        for (int i = 0; i < s.length(); i++) if (b[off + i] != s.charAt(i)) return false;
        return true;
    }

    /** A short guess at what a non-audio file is, for the error message. */
    private static String describe(byte[] b) {
        if (startsWith(b, 0, "%PDF")) return "it is a PDF document";
        if (((b[0] & 0xFF) == 0x89 && startsWith(b, 1, "PNG")) || (b.length > 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8)) return "it is an image";
        if (startsWith(b, 0, "PK")) return "it is a ZIP archive";
        int n = Math.min(b.length, 512), printable = 0;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c == '\n' || c == '\r' || c == '\t' || (c >= 32 && c < 127) || c >= 0x80) printable++;
        }
        if (printable == n) return "it looks like text";
        return "unknown content starting with bytes " + java.util.HexFormat.ofDelimiter(" ").formatHex(b, 0, Math.min(8, b.length));
    }
}
