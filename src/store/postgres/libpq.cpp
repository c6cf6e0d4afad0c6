// Loading libpq at run time: see Libpq.
#include "store/postgres/libpq.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include "error.hpp"

namespace refnet::store::pg {

namespace {

template <typename Function>
void find(void* library, Function& slot, const char* name) {
  void* symbol = ::dlsym(library, name);
  if (symbol == nullptr) {
    throw Error(Exit::config, fmt::format("the libpq found here has no {}: it is too old", name),
                "install Debian's libpq5 (apt-get install libpq5)");
  }
  // POSIX guarantees a data pointer from dlsym converts to the function it names.
  slot = reinterpret_cast<Function>(symbol);
}

}  // namespace

Error load_failure(std::string_view loader_says) {
  // glibc says "libpq.so.5: cannot open shared object file: No such file or directory" when no
  // folder it searches holds the library; anything else is about a file it did find, or one of
  // the libraries that one needs (named first in the same words).
  if (loader_says.empty() || (loader_says.starts_with("libpq.so.5:") &&
                              loader_says.find("No such file") != std::string_view::npos)) {
    return Error(Exit::config, "a database on PostgreSQL needs libpq, which is not installed",
                 "install it with: apt-get install libpq5");
  }
  return Error(Exit::config,
               fmt::format("a database on PostgreSQL needs libpq, and the one found cannot be "
                           "loaded: {}",
                           loader_says),
               "reinstall it (apt-get install --reinstall libpq5), or check LD_LIBRARY_PATH");
}

namespace {

Libpq load() {
  void* library = ::dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    throw load_failure(why == nullptr ? "" : why);
  }
  Libpq api{};
  find(library, api.connectdb, "PQconnectdb");
  find(library, api.status, "PQstatus");
  find(library, api.errorMessage, "PQerrorMessage");
  find(library, api.finish, "PQfinish");
  find(library, api.exec, "PQexec");
  find(library, api.execParams, "PQexecParams");
  find(library, api.resultStatus, "PQresultStatus");
  find(library, api.resultErrorField, "PQresultErrorField");
  find(library, api.resultErrorMessage, "PQresultErrorMessage");
  find(library, api.ntuples, "PQntuples");
  find(library, api.nfields, "PQnfields");
  find(library, api.getvalue, "PQgetvalue");
  find(library, api.getisnull, "PQgetisnull");
  find(library, api.getlength, "PQgetlength");
  find(library, api.cmdTuples, "PQcmdTuples");
  find(library, api.clear, "PQclear");
  find(library, api.putCopyData, "PQputCopyData");
  find(library, api.putCopyEnd, "PQputCopyEnd");
  find(library, api.getCopyData, "PQgetCopyData");
  find(library, api.getResult, "PQgetResult");
  find(library, api.freemem, "PQfreemem");
  find(library, api.serverVersion, "PQserverVersion");
  find(library, api.libVersion, "PQlibVersion");
  find(library, api.setNoticeProcessor, "PQsetNoticeProcessor");
  find(library, api.conninfoParse, "PQconninfoParse");
  find(library, api.conninfoFree, "PQconninfoFree");
  find(library, api.db, "PQdb");
  find(library, api.host, "PQhost");
  find(library, api.user, "PQuser");
  find(library, api.transactionStatus, "PQtransactionStatus");
  return api;  // the library stays loaded for the life of the process
}

}  // namespace

const Libpq& libpq() {
  static const Libpq api = load();
  return api;
}

}  // namespace refnet::store::pg
