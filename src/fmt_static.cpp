// fmt's compiled part, built into refnet when REFNET_STATIC_DEPS is on: Debian's libfmt-dev ships
// fmt only as a shared library, and fmt's header-only mode compiles this in every file that
// formats (it doubled the compile time of src/store/store.cpp).
//
// format-inl.h defines fmt's functions that are not templates, and the templates that format.h
// only declares. Those are instantiated here for the types refnet's code formats: add one if a
// link ever reports another fmt::v9::detail symbol undefined.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

template auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;
template auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template auto decimal_point_impl(locale_ref) -> char;

}  // namespace detail
FMT_END_NAMESPACE
