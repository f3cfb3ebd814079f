# The Debian packages, built by CPack's DEB generator: `cmake --build build
# --target package` writes build/rtcal_<version>_<arch>.deb and
# build/rtcal-hwclock_<version>_<arch>.deb. rtcal's maintainer scripts
# register (not start) the boot units and the rc script; rtcal-hwclock holds
# only the drop-in names /sbin/hwclock and /sbin/clock (and their man pages),
# moving util-linux-extra's hwclock aside with dpkg-divert. The rtcal package
# installs into /usr whatever CMAKE_INSTALL_PREFIX the build was configured
# with (CPack installs again with DESTDIR and the prefix /usr; the install
# rules decide /etc and the links' paths at install time). Dependencies come
# from dpkg-shlibdeps; the files it puts under /etc are conffiles.
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "rtcal")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "rtcal maintainers <rtcal@example.org>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
# Each package's description: its synopsis on the first line, then the
# extended text (one string: a list would be joined with ';'). No
# CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPack would put it above both packages'.
set(RTCAL_DEB_SYNOPSIS "keep the hardware real-time clock right (hwclock replacement)")
set(RTCAL_DEB_DESCRIPTION "rtcal reads and sets the battery-backed RTC to the millisecond, keeps
/etc/adjtime byte-compatible with util-linux hwclock, records measurements
of the RTC's error against NTP or another reference, and computes the drift
correction factor, as the Clock mini-HOWTO taught by hand. It can also run
as a drop-in hwclock or clock(8).")
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.invalid/rtcal")
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX "/usr")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_THREADS 2)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL rtcal hwclock)
set(CPACK_COMPONENTS_GROUPING IGNORE)
set(CPACK_DEBIAN_RTCAL_PACKAGE_NAME "rtcal")
set(CPACK_DEBIAN_RTCAL_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_HWCLOCK_PACKAGE_NAME "rtcal-hwclock")
set(CPACK_DEBIAN_HWCLOCK_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_HWCLOCK_PACKAGE_DEPENDS "rtcal (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_HWCLOCK_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_HWCLOCK_DESCRIPTION "rtcal as hwclock and clock (drop-in names)
This package makes /sbin/hwclock and /sbin/clock run rtcal in its drop-in
mode, which takes hwclock's options and prints what hwclock prints. It moves
util-linux-extra's hwclock and its man page aside to hwclock.util-linux
with dpkg-divert, and gives them back when it is removed.")
set(CPACK_DEBIAN_RTCAL_DESCRIPTION "${RTCAL_DEB_SYNOPSIS}
${RTCAL_DEB_DESCRIPTION}")

# Maintainer scripts, and conffiles: every file rtcal installs under /etc.
set(deb "${CMAKE_BINARY_DIR}/generated/deb")
set(RTCAL_UNIT_NAMES "")
foreach(unit ${RTCAL_UNITS})
  get_filename_component(name "${unit}" NAME)
  string(APPEND RTCAL_UNIT_NAMES " ${name}")
endforeach()
string(STRIP "${RTCAL_UNIT_NAMES}" RTCAL_UNIT_NAMES)
set(conffiles "")
if(EXISTS "${RTCAL_RC_SCRIPT}")
  string(APPEND conffiles "/etc/init.d/rtcal\n")
endif()
file(WRITE "${deb}/rtcal/conffiles" "${conffiles}")
configure_file("${CMAKE_SOURCE_DIR}/cmake/deb/postinst.in" "${deb}/rtcal/postinst" @ONLY
  FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
configure_file("${CMAKE_SOURCE_DIR}/cmake/deb/postrm.in" "${deb}/rtcal/postrm" @ONLY
  FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_RTCAL_PACKAGE_CONTROL_EXTRA "${deb}/rtcal/postinst;${deb}/rtcal/postrm")
if(conffiles)
  list(APPEND CPACK_DEBIAN_RTCAL_PACKAGE_CONTROL_EXTRA "${deb}/rtcal/conffiles")
endif()
foreach(script preinst postrm)
  configure_file("${CMAKE_SOURCE_DIR}/cmake/deb/hwclock-${script}" "${deb}/hwclock/${script}" COPYONLY
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  list(APPEND CPACK_DEBIAN_HWCLOCK_PACKAGE_CONTROL_EXTRA "${deb}/hwclock/${script}")
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# The package's documentation: a Debian changelog (dated as the build, see
# cmake/BuildInfo.cmake) and the copyright file, compressed reproducibly.
if(DEFINED ENV{SOURCE_DATE_EPOCH})
  string(TIMESTAMP RTCAL_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
else()
  set(ENV{SOURCE_DATE_EPOCH} "${RTCAL_BUILD_EPOCH}")
  string(TIMESTAMP RTCAL_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
  unset(ENV{SOURCE_DATE_EPOCH})
endif()
configure_file("${CMAKE_SOURCE_DIR}/cmake/deb/changelog.in" "${CMAKE_BINARY_DIR}/generated/deb/changelog" @ONLY)
add_custom_command(
  OUTPUT "${CMAKE_BINARY_DIR}/generated/deb/changelog.gz"
  COMMAND gzip -9 -n -f -k "${CMAKE_BINARY_DIR}/generated/deb/changelog"
  DEPENDS "${CMAKE_BINARY_DIR}/generated/deb/changelog"
  VERBATIM)
add_custom_target(rtcal-deb-docs ALL DEPENDS "${CMAKE_BINARY_DIR}/generated/deb/changelog.gz")
install(FILES "${CMAKE_BINARY_DIR}/generated/deb/changelog.gz" "${CMAKE_SOURCE_DIR}/cmake/deb/copyright"
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
# rtcal-hwclock's files, only in its package (never by `cmake --install`):
# the drop-in links (absolute: /sbin is another top-level directory than
# /usr; /sbin as util-linux-extra's hwclock, which it diverts), man page
# links, and the Debian documentation every package carries.
install(CODE "
  foreach(link hwclock clock)
    file(MAKE_DIRECTORY \"\$ENV{DESTDIR}/sbin\")
    file(CREATE_LINK /usr/sbin/rtcal \"\$ENV{DESTDIR}/sbin/\${link}\" SYMBOLIC)
    file(MAKE_DIRECTORY \"\$ENV{DESTDIR}/usr/share/man/man8\")
    file(CREATE_LINK rtcal.8.gz \"\$ENV{DESTDIR}/usr/share/man/man8/\${link}.8.gz\" SYMBOLIC)
  endforeach()
  file(MAKE_DIRECTORY \"\$ENV{DESTDIR}/usr/share/doc\")
  file(CREATE_LINK rtcal \"\$ENV{DESTDIR}/usr/share/doc/rtcal-hwclock\" SYMBOLIC)"
  COMPONENT hwclock EXCLUDE_FROM_ALL)
include(CPack)
