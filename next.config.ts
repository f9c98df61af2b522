import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // A separate build folder lets tests build beside a running `next dev` without clobbering it.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
