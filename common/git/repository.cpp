#include "common/git/repository.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/git/net_stream.hpp"
#include "common/net/ca_file.hpp"

#include <algorithm>
#include <git2.h>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace m2g::git {
namespace {

// RAII for the libgit2 objects used here.
template <typename T, void (*Free)(T*)> struct Owned {
  T* ptr = nullptr;
  Owned() = default;
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() {
    if (ptr) {
      Free(ptr);
    }
  }
  T** out() { return &ptr; }
  T* get() const { return ptr; }
};
using OwnedCommit = Owned<git_commit, git_commit_free>;
using OwnedTree = Owned<git_tree, git_tree_free>;
using OwnedEntry = Owned<git_tree_entry, git_tree_entry_free>;
using OwnedBlob = Owned<git_blob, git_blob_free>;
using OwnedRef = Owned<git_reference, git_reference_free>;
using OwnedRemote = Owned<git_remote, git_remote_free>;
using OwnedSig = Owned<git_signature, git_signature_free>;
using OwnedRepo = Owned<git_repository, git_repository_free>;
using OwnedOdb = Owned<git_odb, git_odb_free>;
using OwnedOdbObject = Owned<git_odb_object, git_odb_object_free>;
using OwnedBuilder = Owned<git_treebuilder, git_treebuilder_free>;
using OwnedObject = Owned<git_object, git_object_free>;

std::string to_hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

Result<git_oid> from_hex(const Oid& hex) {
  git_oid oid;
  if (git_oid_fromstr(&oid, hex.c_str()) != 0) {
    return fail(exit_code::k_software, "'" + hex + "' is not an object id");
  }
  return oid;
}

// The credentials callback. libgit2 calls it again for as long as the server refuses what it
// returned, so each kind of credential is offered once and a second request ends the attempt.
struct AuthState {
  const Credentials* credentials = nullptr;
  int userpass_tries = 0;
  int ssh_tries = 0;
  std::string rejection; // set by push_update_reference
};

int acquire_credentials(git_credential** out, const char* /*url*/, const char* username_from_url,
                        unsigned int allowed_types, void* payload) {
  auto* state = static_cast<AuthState*>(payload);
  const char* user = username_from_url && *username_from_url ? username_from_url : "git";
  if ((allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && state->credentials->token) {
    if (state->userpass_tries++ > 0) {
      git_error_set_str(GIT_ERROR_NET, "the remote refused the token");
      return GIT_EAUTH;
    }
    return git_credential_userpass_plaintext_new(out, "x-access-token", state->credentials->token->c_str());
  }
  if (allowed_types & GIT_CREDENTIAL_USERNAME) {
    return git_credential_username_new(out, user);
  }
  if (allowed_types & GIT_CREDENTIAL_SSH_KEY) {
    if (state->ssh_tries++ > 0) {
      git_error_set_str(GIT_ERROR_NET, "the remote refused the SSH agent's keys");
      return GIT_EAUTH;
    }
    return git_credential_ssh_key_from_agent(out, user);
  }
  git_error_set_str(GIT_ERROR_NET, "the remote wants credentials and none are configured "
                                   "(set M2G_GITHUB_TOKEN or --token-file)");
  return GIT_EAUTH;
}

void set_callbacks(git_remote_callbacks& callbacks, AuthState& state) {
  callbacks.credentials = acquire_credentials;
  callbacks.payload = &state;
  // The deadline, the download cap and a cancel are also checked while a pack streams in or
  // out, between the reads the stream itself bounds.
  callbacks.transfer_progress = [](const git_indexer_progress* stats, void*) {
    return detail::check_transfer(stats->received_bytes);
  };
  callbacks.push_transfer_progress = [](unsigned int, unsigned int, size_t, void*) {
    return detail::check_transfer(0);
  };
  callbacks.sideband_progress = [](const char*, int, void*) { return detail::check_transfer(0); };
}

} // namespace

void ensure_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    detail::install_net_stream();
    if (const std::string& ca = net::ca_file(); !ca.empty()) {
      // --ca-file / M2G_CA_FILE: the same authorities libcurl trusts (common/net/ca_file.hpp).
      if (git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, ca.c_str(), nullptr) != 0) {
        const git_error* error = git_error_last();
        log::warn("git: cannot use the CA file '" + ca + "': " + (error && error->message ? error->message : "?"));
      }
    }
  });
}

Failure last_error(std::string_view doing, int code) {
  const git_error* error = git_error_last();
  std::string text = error && error->message ? error->message : "libgit2 error " + std::to_string(code);
  int exit = exit_code::k_software;
  std::string net_message;
  detail::NetFailure net = detail::take_net_failure(&net_message);
  if (net != detail::NetFailure::none) {
    // Our stream stopped it: say why in its words (the TLS layer reports its own), and tell a
    // refused address or an oversized repository (no retry helps) from a deadline (one may).
    text = net_message;
    exit = net == detail::NetFailure::refused     ? exit_code::k_noperm
           : net == detail::NetFailure::too_large ? exit_code::k_unavailable
                                                  : exit_code::k_tempfail;
  } else if (code == GIT_EAUTH) {
    exit = exit_code::k_noperm;
  } else if (code == GIT_ECERTIFICATE) {
    exit = exit_code::k_unavailable;
  } else if (error &&
             (error->klass == GIT_ERROR_NET || error->klass == GIT_ERROR_SSL || error->klass == GIT_ERROR_SSH ||
              error->klass == GIT_ERROR_HTTP || error->klass == GIT_ERROR_OS)) {
    exit = exit_code::k_tempfail;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '.')) {
    text.pop_back();
  }
  return fail(exit, log::redact(std::string(doing) + ": " + text));
}

Result<Signature> parse_signature(std::string_view text) {
  size_t open = text.find('<');
  size_t close = text.rfind('>');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open + 2) {
    return fail(exit_code::k_usage, "'" + std::string(text) + "' is not of the form 'Name <email>'");
  }
  std::string_view name = text.substr(0, open);
  while (!name.empty() && name.back() == ' ') {
    name.remove_suffix(1);
  }
  if (name.empty()) {
    return fail(exit_code::k_usage, "'" + std::string(text) + "' has no name before the <email>");
  }
  return Signature{std::string(name), std::string(text.substr(open + 1, close - open - 1))};
}

bool is_local_url(std::string_view url) {
  if (url.rfind("file://", 0) == 0) {
    return true;
  }
  if (url.find("://") != std::string_view::npos) {
    return false;
  }
  // scp-like "user@host:path" is SSH; a colon before any slash marks it.
  size_t colon = url.find(':');
  size_t slash = url.find('/');
  return colon == std::string_view::npos || (slash != std::string_view::npos && slash < colon);
}

std::string local_path(std::string_view url) {
  return std::string(url.rfind("file://", 0) == 0 ? url.substr(7) : url);
}

Repository::~Repository() {
  if (m_repo) {
    git_repository_free(m_repo);
  }
}

Repository& Repository::operator=(Repository&& other) noexcept {
  if (this != &other) {
    if (m_repo) {
      git_repository_free(m_repo);
    }
    m_repo = std::exchange(other.m_repo, nullptr);
  }
  return *this;
}

Result<Repository> Repository::open(const std::string& path) {
  ensure_init();
  git_repository* repo = nullptr;
  if (int rc = git_repository_open_ext(&repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr); rc != 0) {
    return last_error("cannot open repository '" + path + "'", rc);
  }
  return Repository(repo);
}

Result<Repository> Repository::init_bare(const std::string& path, const std::string& initial_branch) {
  ensure_init();
  git_repository_init_options options = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  options.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
  options.initial_head = initial_branch.c_str();
  git_repository* repo = nullptr;
  if (int rc = git_repository_init_ext(&repo, path.c_str(), &options); rc != 0) {
    return last_error("cannot create repository '" + path + "'", rc);
  }
  return Repository(repo);
}

Result<Repository> Repository::clone_bare(const std::string& url, const std::string& path,
                                          const Credentials& credentials) {
  ensure_init();
  AuthState state;
  state.credentials = &credentials;
  git_clone_options options = GIT_CLONE_OPTIONS_INIT;
  options.bare = 1;
  options.checkout_opts.checkout_strategy = GIT_CHECKOUT_NONE;
  set_callbacks(options.fetch_opts.callbacks, state);
  options.fetch_opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  git_repository* repo = nullptr;
  detail::OperationClock clock;
  if (int rc = git_clone(&repo, url.c_str(), path.c_str(), &options); rc != 0) {
    return last_error("cannot clone the repository", rc);
  }
  return Repository(repo);
}

Result<void> Repository::fetch(const Credentials& credentials) {
  OwnedRemote remote;
  if (int rc = git_remote_lookup(remote.out(), m_repo, "origin"); rc != 0) {
    return last_error("cannot find remote 'origin'", rc);
  }
  AuthState state;
  state.credentials = &credentials;
  git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
  set_callbacks(options.callbacks, state);
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  options.prune = GIT_FETCH_PRUNE;
  char spec[] = "+refs/heads/*:refs/remotes/origin/*";
  char* specs[] = {spec};
  git_strarray refspecs{specs, 1};
  detail::OperationClock clock;
  if (int rc = git_remote_fetch(remote.get(), &refspecs, &options, "m2g: fetch"); rc != 0) {
    return last_error("cannot fetch", rc);
  }
  return {};
}

Result<std::optional<Oid>> Repository::resolve(const std::string& ref_name) {
  OwnedObject object;
  int rc = git_revparse_single(object.out(), m_repo, (ref_name + "^{commit}").c_str());
  if (rc == GIT_ENOTFOUND) {
    return std::optional<Oid>();
  }
  if (rc != 0) {
    return last_error("cannot resolve '" + ref_name + "'", rc);
  }
  return std::optional<Oid>(to_hex(*git_object_id(object.get())));
}

std::string Repository::head_branch() {
  OwnedRef head;
  if (git_reference_lookup(head.out(), m_repo, "HEAD") != 0 ||
      git_reference_type(head.get()) != GIT_REFERENCE_SYMBOLIC) {
    return "";
  }
  std::string target = git_reference_symbolic_target(head.get());
  const std::string prefix = "refs/heads/";
  return target.rfind(prefix, 0) == 0 ? target.substr(prefix.size()) : "";
}

Result<void> Repository::set_ref(const std::string& ref_name, const Oid& commit) {
  auto oid = from_hex(commit);
  M2G_TRY(oid);
  OwnedRef ref;
  if (int rc = git_reference_create(ref.out(), m_repo, ref_name.c_str(), &oid.value(), 1, "m2g"); rc != 0) {
    return last_error("cannot update '" + ref_name + "'", rc);
  }
  return {};
}

Result<std::string> Repository::origin_url() {
  OwnedRemote remote;
  if (int rc = git_remote_lookup(remote.out(), m_repo, "origin"); rc != 0) {
    return last_error("cannot find remote 'origin'", rc);
  }
  const char* url = git_remote_url(remote.get());
  return std::string(url ? url : "");
}

Result<void> Repository::set_origin_url(const std::string& url) {
  if (int rc = git_remote_set_url(m_repo, "origin", url.c_str()); rc != 0) {
    return last_error("cannot set the URL of remote 'origin'", rc);
  }
  return {};
}

Result<std::optional<std::string>> Repository::read_file(const Oid& commit, const std::string& path) {
  auto oid = from_hex(commit);
  M2G_TRY(oid);
  OwnedCommit c;
  OwnedTree tree;
  if (int rc = git_commit_lookup(c.out(), m_repo, &oid.value()); rc != 0) {
    return last_error("cannot read commit " + commit, rc);
  }
  if (int rc = git_commit_tree(tree.out(), c.get()); rc != 0) {
    return last_error("cannot read the tree of " + commit, rc);
  }
  OwnedEntry entry;
  int rc = git_tree_entry_bypath(entry.out(), tree.get(), path.c_str());
  if (rc == GIT_ENOTFOUND) {
    return std::optional<std::string>();
  }
  if (rc != 0) {
    return last_error("cannot look up '" + path + "'", rc);
  }
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) {
    return std::optional<std::string>();
  }
  OwnedBlob blob;
  if (int brc = git_blob_lookup(blob.out(), m_repo, git_tree_entry_id(entry.get())); brc != 0) {
    return last_error("cannot read '" + path + "'", brc);
  }
  const char* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::optional<std::string>(std::string(data, static_cast<size_t>(git_blob_rawsize(blob.get()))));
}

Result<bool> Repository::has_path(const Oid& commit, const std::string& path) {
  auto oid = from_hex(commit);
  M2G_TRY(oid);
  OwnedCommit c;
  OwnedTree tree;
  if (int rc = git_commit_lookup(c.out(), m_repo, &oid.value()); rc != 0) {
    return last_error("cannot read commit " + commit, rc);
  }
  if (int rc = git_commit_tree(tree.out(), c.get()); rc != 0) {
    return last_error("cannot read the tree of " + commit, rc);
  }
  OwnedEntry entry;
  int rc = git_tree_entry_bypath(entry.out(), tree.get(), path.c_str());
  if (rc == GIT_ENOTFOUND) {
    return false;
  }
  if (rc != 0) {
    return last_error("cannot look up '" + path + "'", rc);
  }
  return true;
}

Result<Oid> Repository::commit_files(const std::optional<Oid>& parent, const std::vector<FileWrite>& files,
                                     const Signature& author, const std::string& message) {
  OwnedCommit parent_commit;
  OwnedTree baseline;
  if (parent) {
    auto oid = from_hex(*parent);
    M2G_TRY(oid);
    if (int rc = git_commit_lookup(parent_commit.out(), m_repo, &oid.value()); rc != 0) {
      return last_error("cannot read commit " + *parent, rc);
    }
    if (int rc = git_commit_tree(baseline.out(), parent_commit.get()); rc != 0) {
      return last_error("cannot read the tree of " + *parent, rc);
    }
  } else {
    // A root commit: start from the empty tree.
    OwnedBuilder builder;
    git_oid empty;
    if (int rc = git_treebuilder_new(builder.out(), m_repo, nullptr); rc != 0) {
      return last_error("cannot build a tree", rc);
    }
    if (int rc = git_treebuilder_write(&empty, builder.get()); rc != 0) {
      return last_error("cannot write the empty tree", rc);
    }
    if (int rc = git_tree_lookup(baseline.out(), m_repo, &empty); rc != 0) {
      return last_error("cannot read the empty tree", rc);
    }
  }
  std::vector<const FileWrite*> sorted;
  for (const auto& file : files) {
    sorted.push_back(&file);
  }
  std::sort(sorted.begin(), sorted.end(), [](const FileWrite* a, const FileWrite* b) { return a->path < b->path; });
  std::vector<git_tree_update> updates;
  for (const FileWrite* file : sorted) {
    git_tree_update update{};
    update.action = GIT_TREE_UPDATE_UPSERT;
    update.filemode = GIT_FILEMODE_BLOB;
    update.path = file->path.c_str();
    if (int rc = git_blob_create_from_buffer(&update.id, m_repo, file->content.data(), file->content.size()); rc != 0) {
      return last_error("cannot write '" + file->path + "'", rc);
    }
    updates.push_back(update);
  }
  git_oid tree_oid;
  if (int rc = git_tree_create_updated(&tree_oid, m_repo, baseline.get(), updates.size(), updates.data()); rc != 0) {
    return last_error("cannot build the new tree", rc);
  }
  OwnedTree tree;
  if (int rc = git_tree_lookup(tree.out(), m_repo, &tree_oid); rc != 0) {
    return last_error("cannot read the new tree", rc);
  }
  OwnedSig signature;
  if (int rc = git_signature_now(signature.out(), author.name.c_str(), author.email.c_str()); rc != 0) {
    return last_error("cannot make a signature for '" + author.name + "'", rc);
  }
  const git_commit* parents[] = {parent_commit.get()};
  git_oid commit_oid;
  if (int rc = git_commit_create(&commit_oid, m_repo, nullptr, signature.get(), signature.get(), "UTF-8",
                                 message.c_str(), tree.get(), parent ? 1 : 0, parent ? parents : nullptr);
      rc != 0) {
    return last_error("cannot write the commit", rc);
  }
  return to_hex(commit_oid);
}

Result<PushStatus> Repository::push(const std::string& url, const Oid& commit, const std::string& branch,
                                    const std::optional<Oid>& expected, const Credentials& credentials) {
  if (is_local_url(url)) {
    return push_local(local_path(url), commit, branch, expected);
  }
  return push_remote(url, commit, branch, credentials);
}

Result<PushStatus> Repository::push_local(const std::string& path, const Oid& commit, const std::string& branch,
                                          const std::optional<Oid>& expected) {
  // libgit2's local transport moves the remote's ref without checking its old value, so a
  // push by someone else in between would be overwritten. Copy the new objects, then move the
  // ref with a compare-and-swap under the ref's lock file, as git's receive-pack does.
  OwnedRepo remote;
  if (int rc = git_repository_open_ext(remote.out(), path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr); rc != 0) {
    return last_error("cannot open the remote '" + path + "'", rc);
  }
  auto new_oid = from_hex(commit);
  M2G_TRY(new_oid);
  OwnedOdb local_odb, remote_odb;
  if (int rc = git_repository_odb(local_odb.out(), m_repo); rc != 0) {
    return last_error("cannot open the object database", rc);
  }
  if (int rc = git_repository_odb(remote_odb.out(), remote.get()); rc != 0) {
    return last_error("cannot open the remote's object database", rc);
  }
  // Walk from the new commit down to what the remote has, and copy every object it lacks,
  // children before parents: an object in the remote then always has everything it points to,
  // which is what the walk (ours, and any git fetch from there) takes for granted. Written
  // parents first, a push killed midway left a commit whose tree lacked its blob, and the next
  // push, stopping at that commit, never sent the blob.
  struct Visit {
    git_oid oid;
    bool children_done;
  };
  std::vector<Visit> stack{{new_oid.value(), false}};
  std::unordered_set<std::string> seen; // hex ids already pushed onto the walk
  seen.insert(to_hex(new_oid.value()));
  while (!stack.empty()) {
    Visit visit = stack.back();
    stack.pop_back();
    if (!visit.children_done && git_odb_exists(remote_odb.get(), &visit.oid)) {
      continue;
    }
    if (visit.children_done) {
      OwnedOdbObject object;
      if (int rc = git_odb_read(object.out(), local_odb.get(), &visit.oid); rc != 0) {
        return last_error("cannot read object " + to_hex(visit.oid), rc);
      }
      git_object_t type = git_odb_object_type(object.get());
      git_oid written;
      if (int rc = git_odb_write(&written, remote_odb.get(), git_odb_object_data(object.get()),
                                 git_odb_object_size(object.get()), type);
          rc != 0) {
        return last_error("cannot write object " + to_hex(visit.oid) + " to the remote", rc);
      }
      continue;
    }
    // The type alone decides the children; the object itself is read when it is written.
    size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (int rc = git_odb_read_header(&size, &type, local_odb.get(), &visit.oid); rc != 0) {
      return last_error("cannot read object " + to_hex(visit.oid), rc);
    }
    stack.push_back({visit.oid, true}); // written once every child below is
    auto descend = [&](const git_oid& child) {
      if (seen.insert(to_hex(child)).second) {
        stack.push_back({child, false});
      }
    };
    if (type == GIT_OBJECT_COMMIT) {
      OwnedCommit c;
      if (int rc = git_commit_lookup(c.out(), m_repo, &visit.oid); rc != 0) {
        return last_error("cannot read commit " + to_hex(visit.oid), rc);
      }
      descend(*git_commit_tree_id(c.get()));
      for (unsigned i = 0; i < git_commit_parentcount(c.get()); ++i) {
        descend(*git_commit_parent_id(c.get(), i));
      }
    } else if (type == GIT_OBJECT_TREE) {
      OwnedTree t;
      if (int rc = git_tree_lookup(t.out(), m_repo, &visit.oid); rc != 0) {
        return last_error("cannot read tree " + to_hex(visit.oid), rc);
      }
      for (size_t i = 0; i < git_tree_entrycount(t.get()); ++i) {
        const git_tree_entry* entry = git_tree_entry_byindex(t.get(), i);
        if (git_tree_entry_type(entry) != GIT_OBJECT_COMMIT) { // submodules live elsewhere
          descend(*git_tree_entry_id(entry));
        }
      }
    }
  }
  std::string ref_name = "refs/heads/" + branch;
  OwnedRef ref;
  int rc = 0;
  if (expected) {
    auto old_oid = from_hex(*expected);
    M2G_TRY(old_oid);
    rc = git_reference_create_matching(ref.out(), remote.get(), ref_name.c_str(), &new_oid.value(), 1, &old_oid.value(),
                                       "m2g: push");
  } else {
    rc = git_reference_create(ref.out(), remote.get(), ref_name.c_str(), &new_oid.value(), 0, "m2g: push");
  }
  if (rc == GIT_ELOCKED) {
    // Another push is moving it now (try again), or one that died left its lock behind, which
    // only a person may judge: say where it is.
    return PushStatus{false, "the remote branch is locked by another push ('" + path + "/" + ref_name +
                                 ".lock'; if no push is running, remove that file)"};
  }
  if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS || rc == GIT_ENOTFOUND) {
    return PushStatus{false, "the remote branch moved"};
  }
  if (rc != 0) {
    return last_error("cannot update " + ref_name + " of the remote", rc);
  }
  return PushStatus{true, ""};
}

Result<PushStatus> Repository::push_remote(const std::string& url, const Oid& commit, const std::string& branch,
                                           const Credentials& credentials) {
  // Push from a private ref so the local branch only moves once the push is accepted.
  const std::string local_ref = "refs/m2g/push";
  M2G_TRY(set_ref(local_ref, commit));
  OwnedRemote remote;
  if (int rc = git_remote_create_anonymous(remote.out(), m_repo, url.c_str()); rc != 0) {
    return last_error("cannot set up the push", rc);
  }
  AuthState state;
  state.credentials = &credentials;
  git_push_options options = GIT_PUSH_OPTIONS_INIT;
  set_callbacks(options.callbacks, state);
  // A rejected ref (the remote moved, a hook said no) is not an error to libgit2: it is only
  // reported to this callback.
  options.callbacks.push_update_reference = [](const char* /*refname*/, const char* status, void* data) -> int {
    if (status) {
      static_cast<AuthState*>(data)->rejection = status;
    }
    return 0;
  };
  std::string spec = local_ref + ":refs/heads/" + branch;
  char* specs[] = {spec.data()};
  git_strarray refspecs{specs, 1};
  detail::OperationClock clock;
  int rc = git_remote_push(remote.get(), &refspecs, &options);
  if (rc == GIT_ENONFASTFORWARD) {
    return PushStatus{false, "the remote branch moved"}; // seen before anything was sent
  }
  if (rc != 0) {
    return last_error("cannot push", rc);
  }
  if (!state.rejection.empty()) {
    return PushStatus{false, "the remote refused the push: " + log::redact(state.rejection)};
  }
  return PushStatus{true, ""};
}

} // namespace m2g::git
