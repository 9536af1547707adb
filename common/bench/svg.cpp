#include "common/bench/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace m2g::bench {
namespace {

constexpr double k_width = 800;
constexpr double k_height = 480;
constexpr double k_left = 70;
constexpr double k_right = 60;
constexpr double k_top = 50;
constexpr double k_bottom = 60;
constexpr size_t k_bins = 40;

std::string num(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", value);
  return buf;
}

// A tick label: "1.25 s", "40 ms".
std::string seconds_label(double seconds) {
  char buf[32];
  if (seconds != 0 && seconds < 1) {
    std::snprintf(buf, sizeof buf, "%.3g ms", seconds * 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g s", seconds);
  }
  return buf;
}

} // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string latency_svg(const LatencyRecorder& latencies, const std::string& title) {
  const double plot_w = k_width - k_left - k_right;
  const double plot_h = k_height - k_top - k_bottom;
  std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(k_width) + "\" height=\"" + num(k_height) +
         "\" viewBox=\"0 0 " + num(k_width) + " " + num(k_height) + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += "<text x=\"" + num(k_width / 2) + "\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">" + xml_escape(title) +
         "</text>\n";

  auto bins = latencies.histogram(k_bins);
  double low = latencies.min();
  double high = latencies.max();
  if (high <= low) {
    high = low + 1e-3; // one value: give the axis some width
  }
  auto x_of = [&](double seconds) { return k_left + (seconds - low) / (high - low) * plot_w; };
  size_t peak = 1;
  for (const auto& bin : bins) {
    peak = std::max(peak, bin.count);
  }

  // Axes, with five ticks on each.
  std::string base_y = num(k_top + plot_h);
  svg += "<g stroke=\"black\" stroke-width=\"1\">\n";
  svg += "<line x1=\"" + num(k_left) + "\" y1=\"" + base_y + "\" x2=\"" + num(k_left + plot_w) + "\" y2=\"" + base_y +
         "\"/>\n";
  svg +=
      "<line x1=\"" + num(k_left) + "\" y1=\"" + num(k_top) + "\" x2=\"" + num(k_left) + "\" y2=\"" + base_y + "\"/>\n";
  svg += "<line x1=\"" + num(k_left + plot_w) + "\" y1=\"" + num(k_top) + "\" x2=\"" + num(k_left + plot_w) +
         "\" y2=\"" + base_y + "\"/>\n</g>\n";
  for (int i = 0; i <= 4; ++i) {
    double t = low + (high - low) * i / 4.0;
    double x = x_of(t);
    svg += "<text x=\"" + num(x) + "\" y=\"" + num(k_top + plot_h + 18) + "\" text-anchor=\"middle\">" +
           xml_escape(seconds_label(t)) + "</text>\n";
    double y = k_top + plot_h - plot_h * i / 4.0;
    svg += "<text x=\"" + num(k_left - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" +
           std::to_string(static_cast<size_t>(std::lround(static_cast<double>(peak) * i / 4.0))) + "</text>\n";
    svg += "<text x=\"" + num(k_left + plot_w + 6) + "\" y=\"" + num(y + 4) + "\">" + std::to_string(25 * i) +
           "%</text>\n";
  }
  svg += "<text x=\"" + num(k_left + plot_w / 2) + "\" y=\"" + num(k_height - 14) +
         "\" text-anchor=\"middle\">end-to-end latency (update injected → result pushed)</text>\n";
  svg += "<text x=\"16\" y=\"" + num(k_top + plot_h / 2) + "\" transform=\"rotate(-90 16 " + num(k_top + plot_h / 2) +
         ")\" text-anchor=\"middle\">messages</text>\n";

  // Histogram bars.
  svg += "<g fill=\"#7aa6da\">\n";
  for (const auto& bin : bins) {
    double x0 = x_of(bin.low);
    double x1 = bins.size() == 1 ? x0 + plot_w / k_bins : x_of(bin.high);
    double h = plot_h * static_cast<double>(bin.count) / static_cast<double>(peak);
    svg += "<rect x=\"" + num(x0) + "\" y=\"" + num(k_top + plot_h - h) + "\" width=\"" + num(std::max(x1 - x0, 0.5)) +
           "\" height=\"" + num(h) + "\"/>\n";
  }
  svg += "</g>\n";

  // CDF: one point per sample would be 10,000 points; one per 1/400 of the samples is enough.
  const auto& sorted = latencies.sorted();
  if (!sorted.empty()) {
    std::string points;
    size_t step = std::max<size_t>(sorted.size() / 400, 1);
    for (size_t i = 0; i < sorted.size(); i += step) {
      double share = static_cast<double>(i + 1) / static_cast<double>(sorted.size());
      points += num(x_of(sorted[i])) + "," + num(k_top + plot_h - share * plot_h) + " ";
    }
    points += num(x_of(sorted.back())) + "," + num(k_top);
    svg += "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" points=\"" + points + "\"/>\n";
    for (double p : {50.0, 99.0}) {
      double x = x_of(latencies.percentile(p));
      svg += "<line x1=\"" + num(x) + "\" y1=\"" + num(k_top) + "\" x2=\"" + num(x) + "\" y2=\"" + base_y +
             "\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>\n";
      svg += "<text x=\"" + num(x + 3) + "\" y=\"" + num(k_top + 12) + "\">p" + std::to_string(static_cast<int>(p)) +
             " " + xml_escape(seconds_label(latencies.percentile(p))) + "</text>\n";
    }
  }
  svg += "<text x=\"" + num(k_left + 8) + "\" y=\"" + num(k_top - 8) + "\" fill=\"#c0392b\">cumulative share</text>\n";
  svg += "<text x=\"" + num(k_left + 140) + "\" y=\"" + num(k_top - 8) + "\" fill=\"#3b6ea5\">" +
         std::to_string(latencies.count()) + " messages per bin</text>\n";
  svg += "</svg>\n";
  return svg;
}

} // namespace m2g::bench
