#include "common/fake/github/repos.hpp"

#include "common/git/repository.hpp"

#include <algorithm>
#include <git2.h>

namespace m2g::fake::github {
namespace {

using json = nlohmann::json;

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

std::string hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

bool parse_oid(const std::string& text, git_oid& oid) {
  return text.size() == GIT_OID_HEXSZ && git_oid_fromstr(&oid, text.c_str()) == 0;
}

bool plain_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.size() <= 100 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                  c == '.';
         });
}

ApiError not_found() {
  return ApiError{404, "Not Found"};
}
ApiError unprocessable(std::string message) {
  return ApiError{422, std::move(message)};
}
ApiError internal(std::string doing) {
  const git_error* e = git_error_last();
  return ApiError{500, doing + ": " + (e && e->message ? e->message : "libgit2 error")};
}

json signature_json(const git_signature* sig) {
  return {{"name", sig->name}, {"email", sig->email}, {"date", std::to_string(sig->when.time)}};
}

} // namespace

Repos::Repos(std::string root) : m_root(std::move(root)) {
  git::ensure_init();
}

Repos::~Repos() {
  for (auto& [path, repo] : m_open) {
    git_repository_free(repo);
  }
}

bool Repos::exists(const std::string& owner, const std::string& repo) {
  auto opened = open(owner, repo);
  return std::holds_alternative<git_repository*>(opened);
}

ApiResult<git_repository*> Repos::open(const std::string& owner, const std::string& repo) {
  if (!plain_name(owner) || !plain_name(repo)) {
    return not_found();
  }
  std::string path = m_root + "/" + owner + "/" + repo + ".git";
  if (auto it = m_open.find(path); it != m_open.end()) {
    return it->second;
  }
  git::ensure_init();
  git_repository* handle = nullptr;
  if (git_repository_open_ext(&handle, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE,
                              nullptr) != 0) {
    return not_found();
  }
  m_open.emplace(path, handle);
  return handle;
}

ApiResult<json> Repos::describe(const std::string& owner, const std::string& repo) {
  auto opened = open(owner, repo);
  if (auto* error = std::get_if<ApiError>(&opened)) {
    return *error;
  }
  git_repository* r = std::get<git_repository*>(opened);
  std::string branch = "main";
  Owned<git_reference, git_reference_free> head;
  if (git_reference_lookup(head.out(), r, "HEAD") == 0 && git_reference_type(head.get()) == GIT_REFERENCE_SYMBOLIC) {
    std::string target = git_reference_symbolic_target(head.get());
    if (target.rfind("refs/heads/", 0) == 0) {
      branch = target.substr(11);
    }
  }
  return json{
      {"name", repo},    {"full_name", owner + "/" + repo}, {"owner", {{"login", owner}}},
      {"private", true}, {"default_branch", branch},        {"html_url", "https://github.com/" + owner + "/" + repo},
      {"size", 0}};
}

ApiResult<std::string> Repos::ref(const std::string& owner, const std::string& repo, const std::string& branch) {
  auto opened = open(owner, repo);
  if (auto* error = std::get_if<ApiError>(&opened)) {
    return *error;
  }
  git_repository* r = std::get<git_repository*>(opened);
  if (git_repository_is_empty(r) == 1) {
    return ApiError{409, "Git Repository is empty."};
  }
  git_oid oid;
  if (git_reference_name_to_id(&oid, r, ("refs/heads/" + branch).c_str()) != 0) {
    return not_found();
  }
  return hex(oid);
}

ApiResult<std::string> Repos::update_ref(const std::string& owner, const std::string& repo, const std::string& branch,
                                         const std::string& sha, bool force) {
  auto opened = open(owner, repo);
  if (auto* error = std::get_if<ApiError>(&opened)) {
    return *error;
  }
  git_repository* r = std::get<git_repository*>(opened);
  git_oid target;
  Owned<git_commit, git_commit_free> commit;
  if (!parse_oid(sha, target) || git_commit_lookup(commit.out(), r, &target) != 0) {
    return unprocessable("Object does not exist");
  }
  std::string name = "refs/heads/" + branch;
  git_oid current;
  if (git_reference_name_to_id(&current, r, name.c_str()) != 0) {
    return unprocessable("Reference does not exist");
  }
  if (!force && !git_oid_equal(&current, &target) && git_graph_descendant_of(r, &target, &current) != 1) {
    return unprocessable("Update is not a fast forward");
  }
  // Compare-and-swap under the ref's lock: a git CLI push to the same bare repository in
  // between is not overwritten.
  Owned<git_reference, git_reference_free> updated;
  int rc = git_reference_create_matching(updated.out(), r, name.c_str(), &target, 1, &current, "fake github");
  if (rc == GIT_EMODIFIED || rc == GIT_ELOCKED) {
    return unprocessable("Update is not a fast forward");
  }
  if (rc != 0) {
    return internal("cannot update " + name);
  }
  return sha;
}

ApiResult<json> Repos::commit(const std::string& owner, const std::string& repo, const std::string& sha) {
  auto opened = open(owner, repo);
  if (auto* error = std::get_if<ApiError>(&opened)) {
    return *error;
  }
  git_repository* r = std::get<git_repository*>(opened);
  git_oid oid;
  Owned<git_commit, git_commit_free> c;
  if (!parse_oid(sha, oid) || git_commit_lookup(c.out(), r, &oid) != 0) {
    return not_found();
  }
  json parents = json::array();
  for (unsigned i = 0; i < git_commit_parentcount(c.get()); ++i) {
    parents.push_back({{"sha", hex(*git_commit_parent_id(c.get(), i))}});
  }
  return json{{"sha", sha},
              {"tree", {{"sha", hex(*git_commit_tree_id(c.get()))}}},
              {"parents", parents},
              {"message", git_commit_message(c.get())},
              {"author", signature_json(git_commit_author(c.get()))},
              {"committer", signature_json(git_commit_committer(c.get()))}};
}

ApiResult<std::string> Repos::create_blob(const std::string& owner, const std::string& repo, const std::string& bytes) {
  auto opened = open(owner, repo);
  if (auto* error = std::get_if<ApiError>(&opened)) {
    return *error;
  }
  git_oid oid;
  if (git_blob_create_from_buffer(&oid, std::get<git_repository*>(opened), bytes.data(), bytes.size()) != 0) {
    return internal("cannot write the blob");
  }
  return hex(oid);
}

ApiResult<std::string> Repos::create_tree(const std::string& owner, const std::string& repo, const json& body) {
  auto opened = open(owner, repo);
  if (auto* error = std::get_if<ApiError>(&opened)) {
    return *error;
  }
  git_repository* r = std::get<git_repository*>(opened);
  if (!body.is_object() || !body.contains("tree") || !body["tree"].is_array()) {
    return unprocessable("Invalid request: \"tree\" wasn't supplied.");
  }
  Owned<git_tree, git_tree_free> baseline;
  if (body.contains("base_tree") && body["base_tree"].is_string()) {
    git_oid base;
    if (!parse_oid(body["base_tree"].get<std::string>(), base) || git_tree_lookup(baseline.out(), r, &base) != 0) {
      return unprocessable("Invalid tree info");
    }
  } else {
    Owned<git_treebuilder, git_treebuilder_free> builder;
    git_oid empty;
    if (git_treebuilder_new(builder.out(), r, nullptr) != 0 || git_treebuilder_write(&empty, builder.get()) != 0 ||
        git_tree_lookup(baseline.out(), r, &empty) != 0) {
      return internal("cannot make the empty tree");
    }
  }
  std::vector<std::string> paths;
  std::vector<git_tree_update> updates;
  paths.reserve(body["tree"].size());
  for (const auto& entry : body["tree"]) {
    if (!entry.is_object() || !entry.contains("path") || !entry["path"].is_string()) {
      return unprocessable("Invalid tree info: an entry has no path");
    }
    git_tree_update update{};
    std::string mode = entry.value("mode", "100644");
    update.filemode = mode == "100755" ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
    if (mode != "100644" && mode != "100755") {
      return unprocessable("This fake only takes file modes 100644 and 100755");
    }
    if (entry.contains("content") && entry.contains("sha")) {
      return unprocessable("Invalid tree info: use either sha or content");
    }
    if (entry.contains("content")) {
      const std::string content = entry["content"].get<std::string>();
      if (git_blob_create_from_buffer(&update.id, r, content.data(), content.size()) != 0) {
        return internal("cannot write the blob");
      }
      update.action = GIT_TREE_UPDATE_UPSERT;
    } else if (entry.contains("sha") && entry["sha"].is_null()) {
      update.action = GIT_TREE_UPDATE_REMOVE;
    } else if (entry.contains("sha") && entry["sha"].is_string()) {
      if (!parse_oid(entry["sha"].get<std::string>(), update.id)) {
        return unprocessable("Invalid sha");
      }
      update.action = GIT_TREE_UPDATE_UPSERT;
    } else {
      return unprocessable("Invalid tree info: an entry has neither sha nor content");
    }
    paths.push_back(entry["path"].get<std::string>());
    updates.push_back(update);
  }
  for (size_t i = 0; i < updates.size(); ++i) {
    updates[i].path = paths[i].c_str();
  }
  std::sort(updates.begin(), updates.end(),
            [](const git_tree_update& a, const git_tree_update& b) { return std::string_view(a.path) < b.path; });
  git_oid tree;
  if (git_tree_create_updated(&tree, r, baseline.get(), updates.size(), updates.data()) != 0) {
    return unprocessable("GitRPC::BadObjectState");
  }
  return hex(tree);
}

ApiResult<std::string> Repos::create_commit(const std::string& owner, const std::string& repo, const json& body) {
  auto opened = open(owner, repo);
  if (auto* error = std::get_if<ApiError>(&opened)) {
    return *error;
  }
  git_repository* r = std::get<git_repository*>(opened);
  if (!body.is_object() || !body.contains("message") || !body.contains("tree")) {
    return unprocessable("Invalid request: message and tree are required");
  }
  git_oid tree_oid;
  Owned<git_tree, git_tree_free> tree;
  if (!parse_oid(body["tree"].get<std::string>(), tree_oid) || git_tree_lookup(tree.out(), r, &tree_oid) != 0) {
    return unprocessable("Tree SHA does not exist");
  }
  std::vector<Owned<git_commit, git_commit_free>> parents(body.contains("parents") ? body["parents"].size() : 0);
  std::vector<const git_commit*> parent_ptrs;
  for (size_t i = 0; i < parents.size(); ++i) {
    git_oid oid;
    if (!parse_oid(body["parents"][i].get<std::string>(), oid) || git_commit_lookup(parents[i].out(), r, &oid) != 0) {
      return unprocessable("Parent SHA does not exist or is not a commit object");
    }
    parent_ptrs.push_back(parents[i].get());
  }
  std::string name = "fake", email = "fake@example.com";
  if (body.contains("author") && body["author"].is_object()) {
    name = body["author"].value("name", name);
    email = body["author"].value("email", email);
  }
  Owned<git_signature, git_signature_free> sig;
  if (git_signature_now(sig.out(), name.c_str(), email.c_str()) != 0) {
    return unprocessable("Invalid author");
  }
  git_oid commit;
  std::string message = body["message"].get<std::string>();
  if (git_commit_create(&commit, r, nullptr, sig.get(), sig.get(), "UTF-8", message.c_str(), tree.get(),
                        parent_ptrs.size(), parent_ptrs.data()) != 0) {
    return internal("cannot write the commit");
  }
  return hex(commit);
}

ApiResult<Repos::Content> Repos::contents(const std::string& owner, const std::string& repo, const std::string& path,
                                          const std::string& ref) {
  auto opened = open(owner, repo);
  if (auto* error = std::get_if<ApiError>(&opened)) {
    return *error;
  }
  git_repository* r = std::get<git_repository*>(opened);
  std::string spec = (ref.empty() ? std::string("HEAD") : ref) + "^{tree}";
  Owned<git_object, git_object_free> tree_object;
  if (git_revparse_single(tree_object.out(), r, spec.c_str()) != 0) {
    return ApiError{404, "No commit found for the ref " + ref};
  }
  auto* tree = reinterpret_cast<git_tree*>(tree_object.get());
  Owned<git_tree, git_tree_free> subtree;
  Content content;
  git_tree* listed = tree;
  if (!path.empty()) {
    Owned<git_tree_entry, git_tree_entry_free> entry;
    if (git_tree_entry_bypath(entry.out(), tree, path.c_str()) != 0) {
      return not_found();
    }
    if (git_tree_entry_type(entry.get()) == GIT_OBJECT_BLOB) {
      Owned<git_blob, git_blob_free> blob;
      if (git_blob_lookup(blob.out(), r, git_tree_entry_id(entry.get())) != 0) {
        return internal("cannot read the blob");
      }
      content.bytes.assign(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                           static_cast<size_t>(git_blob_rawsize(blob.get())));
      content.sha = hex(*git_tree_entry_id(entry.get()));
      return content;
    }
    if (git_tree_lookup(subtree.out(), r, git_tree_entry_id(entry.get())) != 0) {
      return not_found();
    }
    listed = subtree.get();
  }
  content.is_dir = true;
  content.listing = json::array();
  for (size_t i = 0; i < git_tree_entrycount(listed); ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(listed, i);
    std::string name = git_tree_entry_name(entry);
    bool dir = git_tree_entry_type(entry) == GIT_OBJECT_TREE;
    content.listing.push_back({{"name", name},
                               {"path", path.empty() ? name : path + "/" + name},
                               {"sha", hex(*git_tree_entry_id(entry))},
                               {"type", dir ? "dir" : "file"}});
  }
  return content;
}

} // namespace m2g::fake::github
