// Internal to the store: libpq, loaded when a database on PostgreSQL is first opened.
#pragma once

#include <libpq-fe.h>

#include <string_view>

#include "error.hpp"

namespace refnet::store::pg {

// The libpq functions refnet calls. refnet links no PostgreSQL library: libpq and the two dozen
// libraries it needs (TLS, Kerberos, LDAP) would load at the start of every command, also on a
// SQLite database, where a command takes a few milliseconds. They load only for a PostgreSQL
// location, from Debian's libpq5.
struct Libpq {
  decltype(&::PQconnectdb) connectdb;
  decltype(&::PQstatus) status;
  decltype(&::PQerrorMessage) errorMessage;
  decltype(&::PQfinish) finish;
  decltype(&::PQexec) exec;
  decltype(&::PQexecParams) execParams;
  decltype(&::PQresultStatus) resultStatus;
  decltype(&::PQresultErrorField) resultErrorField;
  decltype(&::PQresultErrorMessage) resultErrorMessage;
  decltype(&::PQntuples) ntuples;
  decltype(&::PQnfields) nfields;
  decltype(&::PQgetvalue) getvalue;
  decltype(&::PQgetisnull) getisnull;
  decltype(&::PQgetlength) getlength;
  decltype(&::PQcmdTuples) cmdTuples;
  decltype(&::PQclear) clear;
  decltype(&::PQputCopyData) putCopyData;
  decltype(&::PQputCopyEnd) putCopyEnd;
  decltype(&::PQgetCopyData) getCopyData;
  decltype(&::PQgetResult) getResult;
  decltype(&::PQfreemem) freemem;
  decltype(&::PQserverVersion) serverVersion;
  decltype(&::PQlibVersion) libVersion;
  decltype(&::PQsetNoticeProcessor) setNoticeProcessor;
  decltype(&::PQconninfoParse) conninfoParse;
  decltype(&::PQconninfoFree) conninfoFree;
  decltype(&::PQdb) db;
  decltype(&::PQhost) host;
  decltype(&::PQuser) user;
  decltype(&::PQtransactionStatus) transactionStatus;
};

// libpq, loaded on first use. Throws Error(config) when Debian's libpq5 is not installed, or
// the one found cannot be loaded (load_failure).
const Libpq& libpq();

// What dlopen's failure, in dlerror()'s words, tells the user: no libpq.so.5 anywhere is "not
// installed"; one found that will not load (damaged, another architecture, a library it needs
// missing) is reported in the loader's words, which name the file.
Error load_failure(std::string_view loader_says);

}  // namespace refnet::store::pg
