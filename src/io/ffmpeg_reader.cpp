// Container/codec input through libavformat + libavcodec.
//
// The best video stream is decoded to planar YUV at its native bit depth. Planar little-endian
// 4:2:0/4:2:2/4:4:4/gray at 8/10/12/16 bit is copied as is; semi-planar and packed YUV (NV12,
// P010, YUYV ...) are converted losslessly by libswscale to the planar format of the same
// subsampling and depth. RGB and other depths are refused: a colour conversion would change
// the numbers, and that is the user's decision to make.
#include "io/reader.hpp"

#ifdef VQFUSE_HAVE_FFMPEG
extern "C" {
#include <cstdlib>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}
#include <cstring>
#endif

namespace vqfuse::io {

#ifndef VQFUSE_HAVE_FFMPEG
bool have_ffmpeg() { return false; }
Result<std::unique_ptr<VideoReader>> open_ffmpeg(const std::string& path) {
  return Error(Errc::kUnsupported, "this build has no FFmpeg support", path);
}
#else
bool have_ffmpeg() { return true; }

namespace {

std::string av_error(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

// Planar, native little-endian target format for a given subsampling and depth.
AVPixelFormat planar_format(Chroma c, int depth) {
  switch (c) {
    case Chroma::k400:
      return depth == 8 ? AV_PIX_FMT_GRAY8 : depth == 10 ? AV_PIX_FMT_GRAY10LE
             : depth == 12 ? AV_PIX_FMT_GRAY12LE : AV_PIX_FMT_GRAY16LE;
    case Chroma::k420:
      return depth == 8 ? AV_PIX_FMT_YUV420P : depth == 10 ? AV_PIX_FMT_YUV420P10LE
             : depth == 12 ? AV_PIX_FMT_YUV420P12LE : AV_PIX_FMT_YUV420P16LE;
    case Chroma::k422:
      return depth == 8 ? AV_PIX_FMT_YUV422P : depth == 10 ? AV_PIX_FMT_YUV422P10LE
             : depth == 12 ? AV_PIX_FMT_YUV422P12LE : AV_PIX_FMT_YUV422P16LE;
    case Chroma::k444:
      return depth == 8 ? AV_PIX_FMT_YUV444P : depth == 10 ? AV_PIX_FMT_YUV444P10LE
             : depth == 12 ? AV_PIX_FMT_YUV444P12LE : AV_PIX_FMT_YUV444P16LE;
  }
  return AV_PIX_FMT_NONE;
}

class FfmpegReader final : public VideoReader {
 public:
  ~FfmpegReader() override {
    sws_freeContext(sws_);
    av_frame_free(&conv_);
    av_frame_free(&frame_);
    av_packet_free(&pkt_);
    avcodec_free_context(&dec_);
    avformat_close_input(&fmt_);
  }

  const char* kind() const override { return "ffmpeg"; }

  Result<void> open(const std::string& path) {
    path_ = path;
    // FFmpeg's own log lines would break the one-line error contract: every failure comes back
    // as an Error carrying av_strerror's text. VQFUSE_FFMPEG_LOG=1 shows them for debugging.
    const char* log = std::getenv("VQFUSE_FFMPEG_LOG");
    av_log_set_level(log && *log == '1' ? AV_LOG_WARNING : AV_LOG_QUIET);
    int err = avformat_open_input(&fmt_, path.c_str(), nullptr, nullptr);
    if (err < 0)
      return Error(Errc::kUnsupported, "not a Y4M file, and FFmpeg cannot open it: " + av_error(err),
                   path);
    err = avformat_find_stream_info(fmt_, nullptr);
    if (err < 0) return Error(Errc::kParse, "cannot read stream info: " + av_error(err), path);
    const AVCodec* codec = nullptr;
    stream_ = av_find_best_stream(fmt_, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (stream_ < 0 || !codec)
      return Error(Errc::kUnsupported, "no decodable video stream", path);
    AVStream* st = fmt_->streams[stream_];
    dec_ = avcodec_alloc_context3(codec);
    if (!dec_) throw std::bad_alloc();
    avcodec_parameters_to_context(dec_, st->codecpar);
    dec_->thread_count = 1;  // frames run in parallel downstream; keep decode deterministic
    err = avcodec_open2(dec_, codec, nullptr);
    if (err < 0) return Error(Errc::kUnsupported, "cannot open decoder: " + av_error(err), path);
    VQ_TRY(describe_format(static_cast<AVPixelFormat>(st->codecpar->format), st->codecpar->width,
                           st->codecpar->height));
    if (st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0) {
      info_.fps_num = st->avg_frame_rate.num;
      info_.fps_den = st->avg_frame_rate.den;
    }
    if (st->codecpar->color_range == AVCOL_RANGE_JPEG) info_.range = ColorRange::kFull;
    switch (st->codecpar->color_space) {
      case AVCOL_SPC_BT709: info_.matrix = ColorMatrix::kBt709; break;
      case AVCOL_SPC_BT470BG:
      case AVCOL_SPC_SMPTE170M: info_.matrix = ColorMatrix::kBt601; break;
      case AVCOL_SPC_BT2020_NCL: info_.matrix = ColorMatrix::kBt2020; break;
      default: break;
    }
    pkt_ = av_packet_alloc();
    frame_ = av_frame_alloc();
    if (!pkt_ || !frame_) throw std::bad_alloc();
    return {};
  }

  Result<bool> read(Frame& out) override {
    const int64_t n = frames_read_;
    for (;;) {
      int err = avcodec_receive_frame(dec_, frame_);
      if (err == 0) break;
      if (err == AVERROR_EOF) return false;
      if (err != AVERROR(EAGAIN))
        return Error(Errc::kParse, "decode error: " + av_error(err), path_, n);
      if (eof_) {
        return false;
      }
      err = av_read_frame(fmt_, pkt_);
      if (err == AVERROR_EOF) {
        eof_ = true;
        avcodec_send_packet(dec_, nullptr);
        continue;
      }
      if (err < 0) return Error(Errc::kParse, "demux error: " + av_error(err), path_, n);
      if (pkt_->stream_index == stream_) {
        err = avcodec_send_packet(dec_, pkt_);
        if (err < 0 && err != AVERROR(EAGAIN)) {
          av_packet_unref(pkt_);
          return Error(Errc::kParse, "corrupt packet: " + av_error(err), path_, n);
        }
      }
      av_packet_unref(pkt_);
    }
    if (frame_->width != info_.width || frame_->height != info_.height ||
        frame_->format != src_format_) {
      av_frame_unref(frame_);
      return Error(Errc::kUnsupported, "picture size or format changes mid-stream", path_, n);
    }
    VQ_TRY(copy_out(out, n));
    av_frame_unref(frame_);
    ++frames_read_;
    return true;
  }

 private:
  Result<void> describe_format(AVPixelFormat fmt, int w, int h) {
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
    if (!d) return Error(Errc::kUnsupported, "unknown pixel format", path_);
    const std::string name = d->name;
    if (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_HWACCEL |
                    AV_PIX_FMT_FLAG_BAYER | AV_PIX_FMT_FLAG_FLOAT))
      return Error(Errc::kUnsupported,
                   "pixel format " + name + " is not YUV (convert to YUV first, e.g. ffmpeg "
                   "-pix_fmt yuv444p)",
                   path_);
    const int comps = d->nb_components - ((d->flags & AV_PIX_FMT_FLAG_ALPHA) ? 1 : 0);
    info_.width = w;
    info_.height = h;
    info_.bit_depth = d->comp[0].depth;
    if (comps == 1) {
      info_.chroma = Chroma::k400;
    } else if (d->log2_chroma_w == 1 && d->log2_chroma_h == 1) {
      info_.chroma = Chroma::k420;
    } else if (d->log2_chroma_w == 1 && d->log2_chroma_h == 0) {
      info_.chroma = Chroma::k422;
    } else if (d->log2_chroma_w == 0 && d->log2_chroma_h == 0) {
      info_.chroma = Chroma::k444;
    } else {
      return Error(Errc::kUnsupported, "chroma subsampling of " + name + " is not supported", path_);
    }
    if (fmt == AV_PIX_FMT_YUVJ420P || fmt == AV_PIX_FMT_YUVJ422P || fmt == AV_PIX_FMT_YUVJ444P)
      info_.range = ColorRange::kFull;
    VQ_TRY(validate_geometry(info_, path_));
    src_format_ = fmt;
    AVPixelFormat target = planar_format(info_.chroma, info_.bit_depth);
    const bool native = fmt == target || (fmt == AV_PIX_FMT_YUVJ420P && target == AV_PIX_FMT_YUV420P) ||
                        (fmt == AV_PIX_FMT_YUVJ422P && target == AV_PIX_FMT_YUV422P) ||
                        (fmt == AV_PIX_FMT_YUVJ444P && target == AV_PIX_FMT_YUV444P);
    if (!native) {
      sws_ = sws_getContext(w, h, fmt, w, h, target, SWS_POINT | SWS_ACCURATE_RND | SWS_BITEXACT,
                            nullptr, nullptr, nullptr);
      if (!sws_)
        return Error(Errc::kUnsupported, "cannot convert " + name + " to planar YUV", path_);
      conv_ = av_frame_alloc();
      if (!conv_) throw std::bad_alloc();
      conv_->format = target;
      conv_->width = w;
      conv_->height = h;
      if (av_frame_get_buffer(conv_, 64) < 0) throw std::bad_alloc();
    }
    return {};
  }

  Result<void> copy_out(Frame& out, int64_t n) {
    const AVFrame* src = frame_;
    if (sws_) {
      sws_scale(sws_, frame_->data, frame_->linesize, 0, info_.height, conv_->data,
                conv_->linesize);
      src = conv_;
    }
    if (!out.info().same_geometry(info_) || out.plane(0).data == nullptr) out.reset(info_);
    for (int p = 0; p < info_.plane_count(); ++p) {
      PlaneU16 pl = out.plane(p);
      for (int y = 0; y < pl.height; ++y) {
        const uint8_t* row = src->data[p] + static_cast<ptrdiff_t>(y) * src->linesize[p];
        if (!unpack_row(row, pl.row(y), pl.width, info_.bit_depth))
          return Error(Errc::kParse, "decoded sample above the bit-depth range", path_, n);
      }
    }
    return {};
  }

  AVFormatContext* fmt_ = nullptr;
  AVCodecContext* dec_ = nullptr;
  AVPacket* pkt_ = nullptr;
  AVFrame* frame_ = nullptr;
  AVFrame* conv_ = nullptr;
  SwsContext* sws_ = nullptr;
  AVPixelFormat src_format_ = AV_PIX_FMT_NONE;
  int stream_ = -1;
  bool eof_ = false;
};

}  // namespace

Result<std::unique_ptr<VideoReader>> open_ffmpeg(const std::string& path) {
  auto r = std::make_unique<FfmpegReader>();
  VQ_TRY(r->open(path));
  return std::unique_ptr<VideoReader>(std::move(r));
}
#endif

}  // namespace vqfuse::io
