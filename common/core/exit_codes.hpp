#pragma once
// The one exit-code table of every m2g tool (sysexits.h values), documented in each man page's
// EXIT STATUS section.

namespace m2g::exit_code {
inline constexpr int k_ok = 0;
inline constexpr int k_rejected = 1;     ///< some records were rejected, where a tool says so
inline constexpr int k_usage = 64;       ///< EX_USAGE: bad flags or arguments
inline constexpr int k_dataerr = 65;     ///< EX_DATAERR: fatal bad input
inline constexpr int k_noinput = 66;     ///< EX_NOINPUT: an input file is missing
inline constexpr int k_unavailable = 69; ///< EX_UNAVAILABLE: a remote refuses for good
inline constexpr int k_software = 70;    ///< EX_SOFTWARE: a bug, an uncaught exception
inline constexpr int k_cantcreat = 73;   ///< EX_CANTCREAT: cannot create an output file
inline constexpr int k_ioerr = 74;       ///< EX_IOERR: read or write failed
inline constexpr int k_tempfail = 75;    ///< EX_TEMPFAIL: retry later (429, 5xx, locked db)
inline constexpr int k_noperm = 77;      ///< EX_NOPERM: credentials refused (401)
inline constexpr int k_config = 78;      ///< EX_CONFIG: configuration is missing or wrong
inline constexpr int k_sigint = 130;     ///< interrupted by SIGINT
} // namespace m2g::exit_code
