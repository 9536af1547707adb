#pragma once
// The one custom certificate authority setting (--ca-file, M2G_CA_FILE) that every TLS
// client of a process honours: libcurl (CURLOPT_CAINFO, common/http/transfer.cpp) and libgit2
// (GIT_OPT_SET_SSL_CERT_LOCATIONS, common/git/repository.cpp). A self-hosted Gitea or a local
// model behind a private CA then works for the LLM, Telegram, GitHub and git alike, from one
// setting. The file replaces the system's bundle for both libraries: to trust public hosts too,
// give a file that holds the system bundle followed by the private CA.
//
// Set once at start-up, before any request or git operation (the value is then only read).

#include <string>

namespace m2g::net {

/// Use the PEM bundle at `path` ("" : the system's default) for every TLS connection.
void set_ca_file(std::string path);
/// The bundle set, "" for the system's default.
const std::string& ca_file();

} // namespace m2g::net
