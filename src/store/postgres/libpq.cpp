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

Libpq load() {
  void* library = ::dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    throw Error(Exit::config, "a database on PostgreSQL needs libpq, which is not installed",
                "install it with: apt-get install libpq5");
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
